using System.Globalization;
using System.Text;

namespace RpaWorker.Engine.Templates;

/// <summary>A failure to render a template: a name that is not defined, an unknown filter. PHI-free.</summary>
public sealed class TemplateException(string message) : RpaWorkerException(message);

/// <summary>
/// Renders <c>{{ path | filter: arg }}</c> templates against a <see cref="Scope"/>. Text outside braces is kept as is.
/// A missing name is an error, except under the <c>default</c> filter; a record or list renders as its
/// <c>text</c> field or its items joined with ", ".
/// </summary>
public static class Template
{
    /// <summary>Filters that change a value. <c>fhir_id</c> and <c>map</c> are supplied by the run (see <see cref="TemplateFunctions"/>).</summary>
    public static readonly IReadOnlyList<string> Filters =
        ["upper", "lower", "trim", "default", "title", "fhir_id", "iso_date", "digits", "first", "last", "join", "split", "regex", "eq", "ne", "not", "then", "ucum"];

    /// <summary>Whether <paramref name="text"/> holds a template.</summary>
    public static bool HasTemplate(string text) => text.Contains("{{", StringComparison.Ordinal);

    /// <summary>Renders the template.</summary>
    /// <exception cref="TemplateException">A name is not defined or a filter is unknown.</exception>
    public static string Render(string template, Scope scope, TemplateFunctions? functions = null)
    {
        if (!HasTemplate(template))
        {
            return template;
        }
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, open - i);
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TemplateException("a template has '{{' without '}}'");
            }
            sb.Append(AsText(Evaluate(template[(open + 2)..close], scope, functions)));
            i = close + 2;
        }
        return sb.ToString();
    }

    /// <summary>Evaluates one expression (without braces) to a value: a string, record or list.</summary>
    public static object? Evaluate(string expression, Scope scope, TemplateFunctions? functions = null)
    {
        var pipes = SplitPipes(expression);
        var path = pipes[0].Trim();
        var found = scope.TryResolve(path, out var value);
        var hasDefault = pipes.Skip(1).Any(p => FilterName(p) == "default");
        if (!found && !hasDefault)
        {
            throw new TemplateException($"'{path}' is not defined here");
        }
        if (value is Running.InvalidValue invalid && (!hasDefault || invalid.HeldForReview))
        {
            throw new TemplateException(invalid.Reason);
        }
        foreach (var pipe in pipes.Skip(1))
        {
            var name = FilterName(pipe);
            var arg = FilterArgument(pipe);
            value = name switch
            {
                "default" => value is null || (value is string s && s.Length == 0) ? arg : value,
                "upper" => AsText(value).ToUpperInvariant(),
                "lower" => AsText(value).ToLowerInvariant(),
                "trim" => AsText(value).Trim(),
                "title" => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(AsText(value).ToLowerInvariant()),
                "digits" => new string(AsText(value).Where(char.IsAsciiDigit).ToArray()),
                "first" => value is IReadOnlyList<object?> { Count: > 0 } l ? l[0] : value is IReadOnlyList<object?> ? "" : value,
                "last" => value is IReadOnlyList<object?> { Count: > 0 } l2 ? l2[^1] : value is IReadOnlyList<object?> ? "" : value,
                "join" => value is IReadOnlyList<object?> items ? string.Join(arg ?? " ", items.Select(AsText).Where(t => t.Length > 0)) : value,
                "iso_date" => AsText(value).Length >= 10 ? AsText(value)[..10] : AsText(value),
                "split" => AsText(value).Split(arg ?? ",", StringSplitOptions.TrimEntries).Cast<object?>().ToList(),
                "regex" => Match(AsText(value), arg ?? throw new TemplateException("regex needs a pattern: | regex: '([0-9]+)'")),
                "eq" => string.Equals(AsText(value), arg, StringComparison.OrdinalIgnoreCase) ? "true" : "",
                "ne" => string.Equals(AsText(value), arg, StringComparison.OrdinalIgnoreCase) ? "" : "true",
                "not" => IsTrue(AsText(value)) ? "" : "true",
                "ucum" => UcumUnits.Canonical(AsText(value)),
                "then" => IsTrue(AsText(value)) ? arg ?? "true" : "",
                "fhir_id" => functions?.ResourceId is { } id
                    ? (AsText(value).Length == 0 ? "" : id(arg ?? throw new TemplateException("fhir_id needs the resource type: | fhir_id: Patient"), AsText(value)))
                    : throw new TemplateException("fhir_id is not available in this run"),
                _ => throw new TemplateException($"unknown filter '{name}'; known: {string.Join(", ", Filters)}"),
            };
        }
        return value;
    }

    /// <summary>Whether a rendered condition holds: anything but empty text and "false".</summary>
    public static bool IsTrue(string rendered) =>
        rendered.Trim().Length > 0 && !rendered.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    private static string Match(string text, string pattern)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return m.Success ? (m.Groups.Count > 1 ? m.Groups[1].Value : m.Value) : "";
    }

    /// <summary>The text form of a value: strings as they are, records by their "text" field, lists joined.</summary>
    public static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        IReadOnlyDictionary<string, object?> record => record.TryGetValue("text", out var t) ? AsText(t) : "",
        IReadOnlyList<object?> list => string.Join(", ", list.Select(AsText)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static List<string> SplitPipes(string expression)
    {
        // Pipes inside quoted filter arguments do not split.
        var parts = new List<string>();
        var sb = new StringBuilder();
        char? quote = null;
        foreach (var c in expression)
        {
            if (quote is null && c is '\'' or '"')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
            if (c == '|' && quote is null)
            {
                parts.Add(sb.ToString());
                sb.Clear();
                continue;
            }
            sb.Append(c);
        }
        parts.Add(sb.ToString());
        return parts;
    }

    private static string FilterName(string pipe)
    {
        var colon = pipe.IndexOf(':');
        return (colon < 0 ? pipe : pipe[..colon]).Trim();
    }

    private static string? FilterArgument(string pipe)
    {
        var colon = pipe.IndexOf(':');
        if (colon < 0)
        {
            return null;
        }
        var arg = pipe[(colon + 1)..].Trim();
        return arg.Length >= 2 && (arg[0] == '\'' || arg[0] == '"') && arg[^1] == arg[0] ? arg[1..^1] : arg;
    }
}

/// <summary>Functions a run supplies to templates.</summary>
/// <param name="ResourceId">Deterministic FHIR id from a resource type and the EHR's key (for <c>| fhir_id: Patient</c>).</param>
public sealed record TemplateFunctions(Func<string, string, string>? ResourceId);
