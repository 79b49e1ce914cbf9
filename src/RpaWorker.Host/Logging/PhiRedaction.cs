using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace RpaWorker.Host.Logging;

/// <summary>
/// The redaction policy every log event passes before any sink sees it. Log templates in this product carry no PHI;
/// this is the net under them for what other code logs: properties named like PHI are replaced whole, query strings
/// are cut from addresses (a search by name or identifier puts PHI there), and in any other text, dates, phone numbers,
/// long digit runs (MRNs, SSNs) and e-mail addresses are masked. Ids the worker makes (run ids, resource ids) are hex
/// hashes and pass.
/// </summary>
public sealed partial class PhiRedactionEnricher : ILogEventEnricher
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Mask = "[redacted]";

    private static readonly HashSet<string> PhiNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Name", "PatientName", "Family", "Given", "FullName", "BirthDate", "Dob", "DateOfBirth", "Mrn", "Identifier", "Ssn",
        "Address", "Street", "City", "Zip", "PostalCode", "Phone", "Telephone", "Email", "Text", "Note", "Notes", "Value", "Key", "Input", "Inputs",
        "QueryString", "Query",
    };

    // Names that carry only what the worker makes or configures: never rewritten.
    private static readonly HashSet<string> SafeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "RunId", "Shard", "Shards", "Ehr", "Tenant", "Status", "ScheduleId", "Trigger", "Attempt", "Count", "Recovering", "SourceContext",
        "EventId", "StatusCode", "Elapsed", "Method", "Scheme", "Protocol", "ElapsedMilliseconds", "RequestId", "ConnectionId", "TraceId", "SpanId",
    };

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (SafeNames.Contains(name))
            {
                continue;
            }
            // A property named like PHI is masked whole, unless it is a web address (Kestrel's "address"): those lose their query.
            var replaced = !PhiNames.Contains(name) || IsWebAddress(value) ? Scrub(value) : new ScalarValue(Mask);
            if (!ReferenceEquals(replaced, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, replaced));
            }
        }
    }

    private static bool IsWebAddress(LogEventPropertyValue value) =>
        value is ScalarValue { Value: string s } && (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The text with query strings cut and PHI-shaped runs masked.</summary>
    public static string ScrubText(string text)
    {
        var cut = QueryString().Replace(text, "?" + Mask);
        return PhiShapes().Replace(cut, Mask);
    }

    private static LogEventPropertyValue Scrub(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } when ScrubText(s) is var clean && clean != s => new ScalarValue(clean),
        ScalarValue { Value: DateTime or DateTimeOffset or DateOnly } => new ScalarValue(Mask),
        SequenceValue seq when seq.Elements.Select(Scrub).ToList() is var items && items.Where((v, i) => !ReferenceEquals(v, seq.Elements[i])).Any() => new SequenceValue(items),
        StructureValue st when st.Properties.Select(p => new LogEventProperty(p.Name, PhiNames.Contains(p.Name) ? new ScalarValue(Mask) : Scrub(p.Value))).ToList() is var props
            && props.Where((p, i) => !ReferenceEquals(p.Value, st.Properties[i].Value)).Any() => new StructureValue(props, st.TypeTag),
        _ => value,
    };

    [GeneratedRegex(@"\?[^\s""']+")]
    private static partial Regex QueryString();

    // Dates (03/14/1987, 1987-03-14, Mar 5 '19), phone numbers, e-mail addresses, and digit runs of 6 or more that are not
    // part of a longer word (hex ids such as run ids hold letters, so they are not whole-digit runs).
    [GeneratedRegex(@"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b[A-Z][a-z]{2} \d{1,2} '\d{2}\b|\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|[\w.+-]+@[\w-]+\.[\w.]+|(?<![0-9A-Za-z])\d{6,}(?![0-9A-Za-z])")]
    private static partial Regex PhiShapes();
}
