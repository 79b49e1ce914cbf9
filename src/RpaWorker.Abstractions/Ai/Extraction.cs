namespace RpaWorker.Ai;

/// <summary>The type of an extracted field; values come back as text in the type's canonical form.</summary>
public enum ExtractionFieldType
{
    /// <summary>Text as quoted.</summary>
    String,
    /// <summary>A calendar date, returned as yyyy-MM-dd.</summary>
    Date,
    /// <summary>A number, returned with '.' as the decimal separator.</summary>
    Number,
    /// <summary>true or false.</summary>
    Boolean,
}

/// <summary>One field to extract.</summary>
/// <param name="Name">The field's name in the result (letters, digits, '_').</param>
/// <param name="Type">Its type.</param>
/// <param name="Description">What it means, in words, for the model.</param>
/// <param name="Required">An item without it is dropped.</param>
/// <param name="AllowedValues">When not empty, the value must be one of these (a code list).</param>
public sealed record ExtractionField(string Name, ExtractionFieldType Type, string Description, bool Required = false, IReadOnlyList<string>? AllowedValues = null);

/// <summary>What to extract from free text: items (e.g. medications), each with the same fields.</summary>
/// <param name="Name">The item kind, e.g. "medication" (letters, digits, '_').</param>
/// <param name="Description">What an item is, for the model.</param>
/// <param name="Fields">At least one field.</param>
public sealed record ExtractionSpec(string Name, string Description, IReadOnlyList<ExtractionField> Fields);

/// <summary>A span of the source text.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Number of characters.</param>
public readonly record struct TextSpan(int Start, int Length);

/// <summary>One extracted value.</summary>
/// <param name="Value">The value in its type's canonical form.</param>
/// <param name="Source">Where in the source text the model quoted it from (located by the assistant, not trusted from the model).</param>
/// <param name="Confidence">The model's confidence, 0 to 1.</param>
public sealed record ExtractedValue(string Value, TextSpan Source, double Confidence);

/// <summary>One extracted item: field name to value. Fields the model did not find are absent.</summary>
/// <param name="Fields">The fields found.</param>
public sealed record ExtractedItem(IReadOnlyDictionary<string, ExtractedValue> Fields);

/// <summary>The answer to <see cref="IScreenAssistant.ExtractAsync"/>.</summary>
/// <param name="Items">Items that passed verification.</param>
/// <param name="Rejected">Values the model gave that could not be verified against the text (dropped).</param>
public sealed record ExtractionResult(IReadOnlyList<ExtractedItem> Items, int Rejected);
