using Anchor.Cli.Output.Templates;
using static Anchor.Cli.Tests.Data;

namespace Anchor.Cli.Tests;

public sealed class GoTemplateTests
{
    [Theory]
    [InlineData("{{.Name}}", "/web")]
    [InlineData("{{.State.ExitCode}}", "0")]
    [InlineData("{{.State.Pid}}", "4242")]
    [InlineData("{{.State.Running}}", "true")]
    [InlineData("{{.Config.Tty}}", "false")]
    [InlineData("id={{.Id}} name={{.Name}}", "id=4f1c2d name=/web")]
    [InlineData("{{.Config.Env}}", "[PATH=/usr/bin A=1]")]
    [InlineData("{{.Config.Labels}}", "map[a:<1&> b:2]")]
    [InlineData("{{.HostConfig.NanoCpus}}", "1500000000")]
    [InlineData("{{.HostConfig.Ratio}}", "0.5")]
    [InlineData("{{.}}", "map[Args:[-f -h /site] Config:map[Entrypoint:<nil> Env:[PATH=/usr/bin A=1] Labels:map[a:<1&> b:2] Tty:false] HostConfig:map[Memory:0 NanoCpus:1500000000 Ratio:0.5] Id:4f1c2d Mounts:[map[Destination:/data RW:true Source:/var/lib/anchor/volumes/data Type:volume] map[Destination:/site RW:false Source:/srv/site Type:bind]] Name:/web State:map[Error: ExitCode:0 Pid:4242 Running:true Status:running]]")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void Execute_Fields_PrintLikeGo(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{json .State}}", """{"Status":"running","Running":true,"Pid":4242,"ExitCode":0,"Error":""}""")]
    [InlineData("{{json .Config.Labels}}", """{"b":"2","a":"<1&>"}""")]
    [InlineData("{{json .Args}}", """["-f","-h","/site"]""")]
    [InlineData("{{json .Config.Entrypoint}}", "null")]
    [InlineData("{{json .Name}}", "\"/web\"")]
    [InlineData("{{.State | json}}", """{"Status":"running","Running":true,"Pid":4242,"ExitCode":0,"Error":""}""")]
    [InlineData("{{json \"a\\tb\\u2028\"}}", "\"a\\tb\\u2028\"")]
    [InlineData("{{json .HostConfig.Ratio}}", "0.5")]
    public void Json_IsCompactWithoutHtmlEscaping(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{join .Args \" \"}}", "-f -h /site")]
    [InlineData("{{join .Config.Env \",\"}}", "PATH=/usr/bin,A=1")]
    [InlineData("{{split \"a:b:c\" \":\"}}", "[a b c]")]
    [InlineData("{{index (split \"a:b:c\" \":\") 1}}", "b")]
    [InlineData("{{title \"hello wide-world\"}}", "Hello Wide-World")]
    [InlineData("{{lower \"ABC\"}}", "abc")]
    [InlineData("{{upper .State.Status}}", "RUNNING")]
    [InlineData("[{{pad .State.Status 2 1}}]", "[  running ]")]
    [InlineData("[{{pad \"\" 2 1}}]", "[]")]
    [InlineData("{{truncate .Id 3}}", "4f1")]
    [InlineData("{{truncate .Id 30}}", "4f1c2d")]
    [InlineData("{{println .Name 1}}", "/web 1\n")]
    [InlineData("{{print 1 2 \"a\" 3}}", "1 2a3")]
    [InlineData("{{index .Config.Labels \"b\"}}", "2")]
    [InlineData("[{{index .Config.Labels \"nope\"}}]", "[]")]
    [InlineData("{{index .Args 2}}", "/site")]
    [InlineData("{{(index .Mounts 1).Destination}}", "/site")]
    [InlineData("{{len .Args}} {{len .Config.Labels}} {{len .Name}}", "3 2 4")]
    [InlineData("{{slice .Id 1 3}}", "f1")]
    [InlineData("{{.Name | printf \"%s!\"}}", "/web!")]
    public void Functions_BehaveLikeDockers(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{printf \"%s-%d\" .Name .State.Pid}}", "/web-4242")]
    [InlineData("{{printf \"%v|%q|%t\" .Args .Name .State.Running}}", "[-f -h /site]|\"/web\"|true")]
    [InlineData("{{printf \"%-8s|\" .State.Status}}", "running |")]
    [InlineData("{{printf \"%10s|\" .State.Status}}", "   running|")]
    [InlineData("{{printf \"%05d\" 42}}", "00042")]
    [InlineData("{{printf \"%.2f\" .HostConfig.Ratio}}", "0.50")]
    [InlineData("{{printf \"%x\" 255}}", "ff")]
    [InlineData("{{printf \"%d\" .Name}}", "%!d(string=/web)")]
    [InlineData("{{printf \"%s %s\" .Name}}", "/web %!s(MISSING)")]
    [InlineData("{{printf \"%s\" .Name 1}}", "/web%!(EXTRA int=1)")]
    [InlineData("{{printf \"%q\" .Args}}", "[\"-f\" \"-h\" \"/site\"]")]
    [InlineData("{{printf \"100%%\"}}", "100%")]
    public void Printf_FollowsFmt(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{if .State.Running}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if .Config.Tty}}tty{{else}}no tty{{end}}", "no tty")]
    [InlineData("{{if eq .State.Status \"exited\"}}x{{else if eq .State.Status \"running\"}}r{{else}}?{{end}}", "r")]
    [InlineData("{{if .Config.Entrypoint}}e{{else}}none{{end}}", "none")]
    [InlineData("{{if .Nope}}y{{else}}n{{end}}", "n")]
    [InlineData("{{if and .State.Running (eq .State.ExitCode 0)}}ok{{end}}", "ok")]
    [InlineData("{{or .State.Error \"no error\"}}", "no error")]
    [InlineData("{{and .State.Running .State.Pid}}", "4242")]
    [InlineData("{{not .State.Running}}", "false")]
    [InlineData("{{with .State}}{{.Status}}/{{.Pid}}{{end}}", "running/4242")]
    [InlineData("{{with .Config.Entrypoint}}{{.}}{{else}}empty{{end}}", "empty")]
    [InlineData("{{with $s := .State.Status}}{{$s}}{{end}}", "running")]
    public void Conditionals_UseGoTruth(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{range .Args}}[{{.}}]{{end}}", "[-f][-h][/site]")]
    [InlineData("{{range $i, $a := .Args}}{{$i}}={{$a}} {{end}}", "0=-f 1=-h 2=/site ")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a=<1&>;b=2;")]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}}{{if not .RW}}:ro{{end}} {{end}}", "/var/lib/anchor/volumes/data:/data /srv/site:/site:ro ")]
    [InlineData("{{range .Config.Entrypoint}}x{{else}}no entrypoint{{end}}", "no entrypoint")]
    [InlineData("{{range $i, $a := .Args}}{{if eq $i 1}}{{break}}{{end}}{{$a}}{{end}}", "-f")]
    [InlineData("{{range $i, $a := .Args}}{{if eq $i 1}}{{continue}}{{end}}{{$a}}{{end}}", "-f/site")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range .Args}}{{$.Name}}{{end}}", "/web/web/web")]
    public void Range_IteratesArraysMapsAndInts(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{$x := .State.Pid}}{{$x}}", "4242")]
    [InlineData("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [InlineData("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", "21")]
    [InlineData("{{$s := .State}}{{$s.Status}}", "running")]
    [InlineData("{{$.Name}}", "/web")]
    [InlineData("{{(.State).Status}}", "running")]
    [InlineData("{{.State.Status | upper | printf \"<%s>\"}}", "<RUNNING>")]
    public void Variables_AndPipelines(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("a  {{- .Name -}}  b", "a/webb")]
    [InlineData("a\n{{- .Name}}\nb", "a/web\nb")]
    [InlineData("{{range .Args -}}\n  {{.}}\n{{- end}}", "-f-h/site")]
    [InlineData("x {{/* a comment */}} y", "x  y")]
    [InlineData("x {{- /* a comment */ -}} y", "xy")]
    [InlineData("{{-3}}", "-3")]
    public void TrimMarkers_EatAdjacentWhitespace(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{eq 1 1}} {{eq 1 2}} {{eq \"a\" \"b\" \"a\"}}", "true false true")]
    [InlineData("{{ne .State.Status \"exited\"}}", "true")]
    [InlineData("{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 3 2}}", "true true false true")]
    [InlineData("{{lt \"a\" \"b\"}}", "true")]
    [InlineData("{{gt .State.Pid 0}}", "true")]
    [InlineData("{{eq .Nope \"x\"}}", "false")]
    [InlineData("{{lt 1.5 2.5}}", "true")]
    public void Comparisons_CompareBasicKinds(string template, string expected) => Assert.Equal(expected, Run(template));

    [Fact]
    public void MissingKey_DefaultMode_PrintsNoValue() => Assert.Equal("<no value>", Run("{{.Nope}}"));

    [Fact]
    public void MissingKey_NestedOnMissing_PrintsNoValue() => Assert.Equal("<no value>", Run("{{.Nope.Deeper}}"));

    [Fact]
    public void Null_AtTopLevel_PrintsNoValue() => Assert.Equal("<no value>", Run("{{.Config.Entrypoint}}"));

    [Fact]
    public void Null_AsFunctionArgument_PrintsNil() => Assert.Equal("<nil>", Run("{{print .Config.Entrypoint}}"));

    [Fact]
    public void Inspect_UnknownField_IsDockersError() => Assert.Equal(
        "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"",
        Error("{{.Nope}}", mode: MissingKeyMode.Error));

    [Fact]
    public void Inspect_UnknownNestedField_PointsAtTheLastField() => Assert.Equal(
        "template: :1:8: executing \"\" at <.State.Nope>: map has no entry for key \"Nope\"",
        Error("{{.State.Nope}}", mode: MissingKeyMode.Error));

    [Fact]
    public void StructRow_UnknownField_CannotEvaluate()
    {
        var row = new TemplateObject { TypeName = "*formatter.ContainerContext" };
        row["ID"] = "abc";
        Assert.Equal(
            "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext",
            Error("{{.Foo}}", row));
    }

    [Theory]
    [InlineData("{{foo}}", "template: :1: function \"foo\" not defined")]
    [InlineData("{{.Name", "template: :1: unclosed action")]
    [InlineData("{{if .Name}}x", "template: :1: unexpected EOF")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{else}}", "template: :1: unexpected {{else}}")]
    [InlineData("{{$x}}", "template: :1: undefined variable \"$x\"")]
    [InlineData("{{if}}{{end}}", "template: :1: missing value for if")]
    [InlineData("{{.Name | 1}}", "template: :1: non executable command in pipeline stage 2")]
    [InlineData("{{break}}", "template: :1: {{break}} outside {{range}}")]
    [InlineData("{{\"a\".B}}", "template: :1: unexpected . after term \"\\\"a\\\"\"")]
    [InlineData("line1\n{{if}}{{end}}", "template: :2: missing value for if")]
    [InlineData("{{/* x */ .A}}", "template: :1: comment ends before closing delimiter")]
    [InlineData("{{\"abc}}", "template: :1: unterminated quoted string")]
    [InlineData("{{.A)}}", "template: :1: unexpected right paren")]
    [InlineData("{{#}}", "template: :1: unexpected \"#\" in command")]
    public void Parse_BadTemplate_GivesGosMessage(string template, string expected) =>
        Assert.Equal(expected, Assert.Throws<TemplateException>(() => GoTemplate.Parse(template)).Message);

    [Theory]
    [InlineData("{{index .Config.Labels 1}}", "template: :1:2: executing \"\" at <index .Config.Labels 1>: error calling index: value has type int; should be string")]
    [InlineData("{{index .Args 9}}", "template: :1:2: executing \"\" at <index .Args 9>: error calling index: index out of range: 9")]
    [InlineData("{{index .Config.Entrypoint 1}}", "template: :1:2: executing \"\" at <index .Config.Entrypoint 1>: error calling index: index of untyped nil")]
    [InlineData("{{eq .Name 1}}", "template: :1:2: executing \"\" at <eq .Name 1>: error calling eq: incompatible types for comparison")]
    [InlineData("{{lt .Args 1}}", "template: :1:2: executing \"\" at <lt .Args 1>: error calling lt: invalid type for comparison")]
    [InlineData("{{len .State.Pid}}", "template: :1:2: executing \"\" at <len .State.Pid>: error calling len: len of type int")]
    [InlineData("{{index}}", "template: :1:2: executing \"\" at <index>: wrong number of args for index: want at least 1 got 0")]
    [InlineData("{{upper 1 2}}", "template: :1:2: executing \"\" at <upper>: wrong number of args for upper: want 1 got 2")]
    [InlineData("{{join .Name \",\"}}", "template: :1:2: executing \"\" at <join .Name \",\">: wrong type for value; expected []string; got string")]
    [InlineData("{{.Name.Foo}}", "template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type string")]
    [InlineData("{{.Config.Entrypoint.X}}", "template: :1:9: executing \"\" at <.Config.Entrypoint.X>: nil pointer evaluating interface {}.X")]
    [InlineData("{{range .Name}}{{end}}", "template: :1:8: executing \"\" at <.Name>: range can't iterate over /web")]
    [InlineData("{{.Name 1}}", "template: :1:2: executing \"\" at <.Name>: Name is not a method but has arguments")]
    [InlineData("{{1 2}}", "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1")]
    [InlineData("x\n  {{.State.Nope}}", "template: :2:10: executing \"\" at <.State.Nope>: map has no entry for key \"Nope\"")]
    public void Execute_BadCall_GivesGosMessage(string template, string expected) =>
        Assert.Equal(expected, Error(template, mode: MissingKeyMode.Error));

    [Fact]
    public void Execute_Error_KeepsOutputRenderedBeforeIt()
    {
        var output = new System.Text.StringBuilder();
        Assert.Throws<TemplateException>(() => GoTemplate.Parse("ok {{.Nope}}").Execute(output, Inspect, MissingKeyMode.Error));
        Assert.Equal("ok ", output.ToString());
    }

    [Fact]
    public void FromJsonNode_BuildsTheSameTree()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(InspectJson);
        Assert.Equal(Run("{{json .}}"), GoTemplate.Parse("{{json .}}").Execute(TemplateValue.FromJson(node)));
    }

    [Theory]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(2.5, "2.5")]
    public void Floats_PrintInGoShortestForm(double value, string expected) =>
        Assert.Equal(expected, Run("{{.}}", TemplateValue.From(value)));
}
