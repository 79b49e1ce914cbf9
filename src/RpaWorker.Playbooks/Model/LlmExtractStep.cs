namespace RpaWorker.Playbooks.Model;

/// <summary>How an <see cref="LlmExtractStep"/> gets the text it reads.</summary>
public enum LlmExtractSource
{
    /// <summary>The target's text (a note shown as text).</summary>
    Text,
    /// <summary>A picture of the target read by OCR first (a scanned letter).</summary>
    Image,
}

/// <summary>
/// <c>llm_extract: { target, read?, publish_above?, items }</c> — reads free text (or a scanned picture through OCR) and
/// asks the LLM tier for items of the kinds listed in <see cref="Items"/>, each stored as a list of records for emits.
/// Every record is machine-extracted: what is emitted from it carries the mark, its confidence and the text it came from,
/// and is held for review unless its confidence is above <see cref="PublishAbove"/>.
/// </summary>
public sealed record LlmExtractStep(TargetDefinition Target, IReadOnlyList<LlmExtractItems> Items) : StepDefinition
{
    /// <summary>The record fields every extracted record has besides its own: they may not name an item field.</summary>
    public static readonly IReadOnlyList<string> ReservedFields = ["confidence", "source_text", "kind"];

    /// <inheritdoc />
    public override string Kind => "llm_extract";

    /// <summary>Where the text comes from. Default <see cref="LlmExtractSource.Text"/>.</summary>
    public LlmExtractSource Read { get; init; } = LlmExtractSource.Text;

    /// <summary>
    /// Records whose confidence is strictly above this (0 to 1) are published like any other; the others, and all of
    /// them when it is null (the default), are held for review.
    /// </summary>
    public double? PublishAbove { get; init; }

    /// <summary>
    /// Optional. A record to store the text read under (fields <c>text</c>, <c>base64</c> and <c>read</c>: text or ocr),
    /// for a DocumentReference of the document itself.
    /// </summary>
    public string? Document { get; init; }
}

/// <summary>One kind of item an <see cref="LlmExtractStep"/> looks for, stored as the list <see cref="Into"/>.</summary>
public sealed record LlmExtractItems
{
    /// <summary>The kinds that have a built-in description: condition, medication, allergy.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["condition"] = "a diagnosis, problem or condition the patient has or had, as written in the text",
        ["medication"] = "a medication the patient takes or is told to take, as written in the text",
        ["allergy"] = "a substance the patient is allergic or intolerant to, as written in the text",
    };

    /// <summary>Required. The list's name for emits and templates.</summary>
    public required string Into { get; init; }

    /// <summary>Required. The item kind (condition, medication, allergy, or a name of your own with a description).</summary>
    public required string Kind { get; init; }

    /// <summary>What an item is, for the model. Default: the built-in description of a known kind.</summary>
    public string? Description { get; init; }

    /// <summary>Required, at least one. The fields of each item.</summary>
    public required IReadOnlyList<LlmExtractField> Fields { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>One field of an extracted item.</summary>
public sealed record LlmExtractField
{
    /// <summary>Required. The field's name in each record (letters, digits, '_').</summary>
    public required string Name { get; init; }

    /// <summary>string (default), date (yyyy-MM-dd), number or boolean.</summary>
    public string Type { get; init; } = "string";

    /// <summary>What it means, for the model. Default: the name.</summary>
    public string? Description { get; init; }

    /// <summary>An item without it is dropped. Default false.</summary>
    public bool Required { get; init; }

    /// <summary>When not empty the value must be one of these.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}
