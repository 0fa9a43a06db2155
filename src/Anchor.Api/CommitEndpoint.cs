using Anchor.Engine;

namespace Anchor.Api;

/// <summary>
/// POST /commit?container=&amp;repo=&amp;tag=&amp;comment=&amp;author=&amp;pause=&amp;changes=: `anchor commit`
/// (the container's changes as one layer on its image), answered 201 {"Id": "sha256:…"}. pause
/// is true unless given false, as in moby's postCommit; each changes value is one Dockerfile
/// instruction (docker's CLI sends one per --change).
/// </summary>
public sealed class CommitEndpoint(AnchorEngine engine)
{
    public Task Commit(HttpContext context)
    {
        var container = ApiQuery.String(context, "container");
        if (string.IsNullOrEmpty(container))
        {
            throw new BadRequestException("container is required");
        }

        var repo = ApiQuery.String(context, "repo");
        var tag = ApiQuery.String(context, "tag");
        var reference = string.IsNullOrEmpty(repo) ? null : string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}";
        var pause = !context.Request.Query.ContainsKey("pause") || ApiQuery.Bool(context, "pause");
        var changes = context.Request.Query["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        var comment = ApiQuery.String(context, "comment");
        var author = ApiQuery.String(context, "author");
        var id = engine.Changes.Commit(container, reference, string.IsNullOrEmpty(comment) ? null : comment, string.IsNullOrEmpty(author) ? null : author, changes, pause);
        ApiJson.Write(context, StatusCodes.Status201Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", id.ToString());
            w.WriteEndObject();
        });
        return Task.CompletedTask;
    }
}
