using System.Collections;
using System.Globalization;
using System.Text;
using RpaWorker.Ai;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;
using ExecutionContext = RpaWorker.Engine.Running.ExecutionContext;

namespace RpaWorker.Engine.Steps;

// Free text becomes records through the LLM tier, never straight into published FHIR: the tier checks every value
// against the text it was quoted from, and each record carries its confidence and that text so what is emitted from it
// is marked as machine-extracted and held for review unless the playbook trusts it (publish_above).

internal sealed class LlmExtractFactory : StepFactory<LlmExtractStep>
{
    protected override IEnumerable<PlaybookError> Validate(LlmExtractStep step, PlaybookDefinition playbook)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var items in step.Items.Where(i => !seen.Add(i.Into)))
        {
            yield return new PlaybookError(items.Location, $"llm_extract stores two lists named '{items.Into}'");
        }
        if (step.Document is { } doc && seen.Contains(doc))
        {
            yield return new PlaybookError(step.Location, $"llm_extract's document record '{doc}' has the name of one of its lists");
        }
    }

    protected override CompiledStep Build(LlmExtractStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(LlmExtractStep step, string id) : CompiledStep(step, id)
    {
        public override bool ReadsPatientData => true;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            if (context.Options.Assistant is not { } assistant)
            {
                return NoAnswer($"the LLM tier is off: no AI provider is configured, and llm_extract needs one (set the Ai section, see docs/llm.md)");
            }
            var target = context.Target(step.Target, $"{Id}: llm_extract source ({step.Target.Describe()})");
            var read = await ReadAsync(context, target, cancellationToken);
            if (!read.Ok)
            {
                return read.Failure is UiFailure.NotFound && step.Optional
                    ? new StepOutcome(StepStatus.Skipped, read.Reason)
                    : StepOutcome.Fail(read.Reason ?? $"{Id}: the source could not be read", read.Failure);
            }
            var text = read.Value!;
            context.NoteScreen();
            if (step.Document is { } document)
            {
                context.SetRecord(document, new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["text"] = text,
                    ["base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
                    ["read"] = step.Read == LlmExtractSource.Image ? "ocr" : "text",
                });
            }
            var screen = new ScreenContext
            {
                // The step is the screen's structure here: the same step on the next patient's note asks the same kind of question.
                Fingerprint = $"llm_extract:{context.Playbook.Definition.Id}:{Id}",
                Origin = Id,
            };
            foreach (var items in step.Items)
            {
                var spec = new ExtractionSpec(items.Kind, items.Description ?? LlmExtractItems.KnownKinds[items.Kind], items.Fields.Select(Field).ToList());
                var answer = await assistant.ExtractAsync(text, spec, screen with { Origin = $"{Id}: {items.Into}" }, cancellationToken);
                if (!answer.Ok)
                {
                    return NoAnswer($"{Id}: no usable answer for '{items.Into}' from the LLM tier ({answer.Status}: {answer.Reason})");
                }
                var records = answer.Value!.Items.Select(item => (object?)ExtractedRecord.From(item, items.Kind, text, Id, step.PublishAbove)).ToList();
                context.SetRecord(items.Into, records);
            }
            return StepOutcome.Success;
        }

        private StepOutcome NoAnswer(string reason) =>
            step.Optional ? new StepOutcome(StepStatus.Skipped, reason) : StepOutcome.Fail(reason);

        private async Task<UiResult<string>> ReadAsync(ExecutionContext context, UiTarget target, CancellationToken cancellationToken)
        {
            if (step.Read == LlmExtractSource.Text)
            {
                return await context.Session.ReadTextAsync(target, context.TimeoutOf(step), cancellationToken);
            }
            var picture = await context.Session.CaptureAsync(target, context.TimeoutOf(step), cancellationToken);
            if (!picture.Ok)
            {
                return UiResult<string>.Fail(picture.Failure ?? UiFailure.NotFound, picture.Reason ?? $"{target.Description}: no picture");
            }
            var recognizer = context.Options.TextRecognizer ?? TesseractOcr.Shared();
            var ocr = await recognizer.RecognizeAsync(Png.Decode(picture.Value), new OcrRequest { Layout = OcrLayout.Page }, cancellationToken);
            return ocr.Words.Count == 0
                ? UiResult<string>.Fail(UiFailure.NotFound, $"{target.Description}: OCR found no text in the picture")
                : UiResult<string>.Success(ocr.Text);
        }

        private static ExtractionField Field(LlmExtractField f) => new(
            f.Name,
            f.Type switch
            {
                "date" => ExtractionFieldType.Date,
                "number" => ExtractionFieldType.Number,
                "boolean" => ExtractionFieldType.Boolean,
                _ => ExtractionFieldType.String,
            },
            f.Description ?? f.Name.Replace('_', ' '),
            f.Required,
            f.Values.Count == 0 ? null : f.Values);
    }
}

/// <summary>
/// One record the LLM tier extracted from free text: its fields, plus <c>kind</c>, <c>confidence</c> (the lowest of its
/// fields') and <c>source_text</c> (the stretch of the text its values were quoted from). What an emit builds from it is
/// marked (see <see cref="MachineExtraction"/>) and held for review unless its confidence is above the step's threshold.
/// </summary>
internal sealed class ExtractedRecord : IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _fields;

    private ExtractedRecord(Dictionary<string, object?> fields, double confidence, string sourceText, string stepId, double? publishAbove)
    {
        _fields = fields;
        Confidence = confidence;
        SourceText = sourceText;
        StepId = stepId;
        PublishAbove = publishAbove;
    }

    public double Confidence { get; }

    /// <summary>The text the values were quoted from. PHI: it goes into the resource, never into logs or reasons.</summary>
    public string SourceText { get; }

    public string StepId { get; }

    public double? PublishAbove { get; }

    /// <summary>Whether what is built from it may be published without review.</summary>
    public bool Trusted => PublishAbove is { } threshold && Confidence > threshold;

    public static ExtractedRecord From(ExtractedItem item, string kind, string text, string stepId, double? publishAbove)
    {
        var confidence = item.Fields.Values.Select(v => v.Confidence).DefaultIfEmpty(0).Min();
        var start = item.Fields.Values.Select(v => v.Source.Start).DefaultIfEmpty(0).Min();
        var end = item.Fields.Values.Select(v => v.Source.Start + v.Source.Length).DefaultIfEmpty(0).Max();
        var source = text[start..end];
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = kind,
            ["confidence"] = confidence.ToString("0.###", CultureInfo.InvariantCulture),
            ["source_text"] = source,
        };
        foreach (var (name, value) in item.Fields)
        {
            fields[name] = value.Value;
        }
        return new ExtractedRecord(fields, confidence, source, stepId, publishAbove);
    }

    public object? this[string key] => _fields[key];

    public IEnumerable<string> Keys => _fields.Keys;

    public IEnumerable<object?> Values => _fields.Values;

    public int Count => _fields.Count;

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, out object? value) => _fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// How resources built from machine-extracted records are marked: a <c>meta.tag</c> and an extension holding the
/// confidence, the source text and the step. Documented in docs/fhir-mapping.md.
/// </summary>
public static class MachineExtraction
{
    /// <summary>The system of the <c>meta.tag</c>.</summary>
    public const string TagSystem = "urn:rpaworker:extraction";

    /// <summary>The code of the <c>meta.tag</c>.</summary>
    public const string TagCode = "machine-extracted";

    /// <summary>The URL of the extension; its parts are <c>confidence</c> (valueDecimal), <c>sourceText</c> and <c>step</c> (valueString).</summary>
    public const string ExtensionUrl = "https://rpaworker.dev/fhir/StructureDefinition/machine-extraction";

    /// <summary>The draft with the mark added and, unless the record is trusted, a reason that holds it for review.</summary>
    internal static ResourceDraft Mark(ResourceDraft draft, ExtractedRecord record)
    {
        var assignments = draft.Assignments.ToList();
        var tag = NextIndex(assignments, "meta.tag");
        var ext = NextIndex(assignments, "extension");
        var confidence = record.Confidence.ToString("0.###", CultureInfo.InvariantCulture);
        assignments.AddRange(
        [
            new($"meta.tag[{tag}].system", TagSystem),
            new($"meta.tag[{tag}].code", TagCode),
            new($"meta.tag[{tag}].display", "Machine-extracted from free text"),
            new($"extension[{ext}].url", ExtensionUrl),
            new($"extension[{ext}].extension[0].url", "confidence"),
            new($"extension[{ext}].extension[0].valueDecimal", confidence),
            new($"extension[{ext}].extension[1].url", "sourceText"),
            new($"extension[{ext}].extension[1].valueString", record.SourceText),
            new($"extension[{ext}].extension[2].url", "step"),
            new($"extension[{ext}].extension[2].valueString", record.StepId),
        ]);
        var problems = draft.Problems.ToList();
        if (!record.Trusted)
        {
            problems.Add(record.PublishAbove is { } threshold
                ? $"held for review: machine-extracted by step '{record.StepId}' with confidence {confidence}, not above publish_above {threshold.ToString("0.###", CultureInfo.InvariantCulture)}"
                : $"held for review: machine-extracted by step '{record.StepId}' with confidence {confidence} (the step sets no publish_above)");
        }
        return draft with { Assignments = assignments, Problems = problems };
    }

    // The playbook's own tags and extensions keep their indexes; the mark goes after them (indexes must be contiguous).
    private static int NextIndex(IEnumerable<KeyValuePair<string, string>> assignments, string element) =>
        assignments.Select(a => a.Key)
            .Where(k => k.StartsWith(element, StringComparison.Ordinal) && (k.Length == element.Length || k[element.Length] is '[' or '.'))
            .Select(k => k.Length > element.Length && k[element.Length] == '[' ? int.Parse(k[(element.Length + 1)..k.IndexOf(']', element.Length)], CultureInfo.InvariantCulture) : 0)
            .DefaultIfEmpty(-1)
            .Max() + 1;
}
