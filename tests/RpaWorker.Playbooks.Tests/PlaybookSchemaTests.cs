using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace RpaWorker.Playbooks.Tests;

public sealed class PlaybookSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(PlaybookSchema.Generate());

    [Fact]
    public void Generate_MatchesTheSchemaShippedInDocs()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RpaWorker.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }
        var shipped = File.ReadAllText(Path.Combine(root, "docs", "playbook.schema.json"));

        Assert.True(shipped == PlaybookSchema.Generate(),
            "docs/playbook.schema.json is out of date with the playbook language: regenerate it with ./rpa schema > docs/playbook.schema.json");
    }

    [Theory]
    [InlineData("valid/chart.yaml")]
    [InlineData("imports/playbook.yaml")]
    [InlineData("imports/shared/reading.yaml")]
    public void Evaluate_ValidPlaybook_PassesTheSchema(string file)
    {
        var result = Schema.Evaluate(ToJson(file), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", result.Details.Where(d => d.HasErrors).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }

    [Theory]
    [InlineData("broken/unknown-step.yaml")]
    [InlineData("broken/wrong-types.yaml")]
    [InlineData("broken/missing-target.yaml")]
    [InlineData("broken/many-errors.yaml")]
    [InlineData("imports/shared/with-guards.yaml")]
    public void Evaluate_PlaybookWithShapeErrors_FailsTheSchema(string file) =>
        Assert.False(Schema.Evaluate(ToJson(file)).IsValid);

    // Plain YAML scalars become JSON booleans, numbers and null, as an editor's YAML language server reads them.
    private static JsonNode? ToJson(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", file))));
        return Convert(yaml.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when p.Value is "true" or "false" => JsonValue.Create(p.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when p.Value is "" or "~" or "null" => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when long.TryParse(p.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode p => JsonValue.Create(p.Value),
        _ => null,
    };
}
