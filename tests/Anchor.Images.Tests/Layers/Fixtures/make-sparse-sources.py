import os, sys
def pat(p, n):
    return bytes(((p + i) * 7 + 13) & 0xFF for i in range(n))
def make(path, size, regions):
    with open(path, 'wb') as f:
        f.truncate(size)
        for off, n in regions:
            f.seek(off); f.write(pat(off, n))
root = sys.argv[1]
make(root + '/sparse/f', 8 << 20, [(4 << 20, 4)])
make(root + '/sparse/many', 2 << 20, [(k * 160 * 1024, 100) for k in range(12)])
make(root + '/sparse/tail', (1 << 20) + 3, [(0, 10), ((1 << 20), 3)])
make(root + '/a-directory-with-a-rather-long-name-to-need-gnu-long-names-or-pax-path-records-in-the-archive/sparse-file-with-a-long-name', 1 << 20, [(512 * 1024, 4096)])
with open(root + '/plain', 'w') as f: f.write('plain after sparse\n')
