using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks.Tests;

public sealed class LlmExtractLoadingTests
{
    private static string Playbook(string step) => $"""
        playbook: test/notes
        version: 1.0.0
        driver: web
        steps:
          - id: read_note
            llm_extract:
        {step}
        emit:
          - resource: Condition
            for_each: conditions
            as: c
            key: "{"{{ c.name }}"}"
            map:
              code.text: "{"{{ c.name }}"}"
        """;

    [Fact]
    public void LoadText_LlmExtract_ReadsItemsFieldsAndSettings()
    {
        var result = PlaybookLoader.LoadText("notes.yaml", Playbook("""
                  target: { css: "pre" }
                  read: image
                  publish_above: 0.85
                  document: letter
                  items:
                    conditions:
                      kind: condition
                      fields:
                        name: { required: true, description: "as written" }
                        onset: date
                        status: { values: [active, resolved] }
            """));

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        var step = Assert.IsType<LlmExtractStep>(Assert.Single(result.Playbook!.Steps));
        Assert.Equal(LlmExtractSource.Image, step.Read);
        Assert.Equal(0.85, step.PublishAbove);
        Assert.Equal("letter", step.Document);
        var items = Assert.Single(step.Items);
        Assert.Equal(("conditions", "condition"), (items.Into, items.Kind));
        Assert.Equal(["name", "onset", "status"], items.Fields.Select(f => f.Name));
        Assert.True(items.Fields[0].Required);
        Assert.Equal("date", items.Fields[1].Type);
        Assert.Equal(["active", "resolved"], items.Fields[2].Values);
    }

    [Fact]
    public void LoadText_LlmExtractMistakes_ReportsEachWithItsPlace()
    {
        var result = PlaybookLoader.LoadText("notes.yaml", Playbook("""
                  target: { css: "pre" }
                  publish_above: 1.5
                  items:
                    conditions:
                      kind: symptom
                      fields:
                        confidence: string
                        onset: datetime
            """));

        Assert.False(result.Ok);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("notes.yaml:8:", StringComparison.Ordinal) && e.Contains("publish_above must be a confidence from 0 to 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("kind 'symptom' of item list 'conditions' needs a 'description'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'confidence' is a field every extracted record has", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("type of field 'onset' of item list 'conditions' 'datetime' is not one of: string, date, number, boolean", StringComparison.Ordinal));
    }
}
