using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RpaWorker.Playbooks.Yaml;

// A small YAML tree that keeps the position of every node and every mapping key, and reports duplicate keys,
// aliases and syntax errors as errors instead of exceptions. YamlDotNet's own representation model throws on
// the first duplicate key, and the playbook loader must report every error at once.

/// <summary>A YAML node and where it starts.</summary>
internal abstract record YNode(SourceLocation Location)
{
    /// <summary>A short name of the node's kind for messages: "a mapping", "a list", "text".</summary>
    public abstract string KindName { get; }
}

/// <summary>A scalar. <see cref="IsPlain"/> is false for quoted or block scalars, which are always text.</summary>
internal sealed record YScalar(SourceLocation Location, string Value, bool IsPlain) : YNode(Location)
{
    public override string KindName => IsNull ? "nothing" : $"'{Value}'";

    /// <summary>True for an unquoted empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && (Value.Length == 0 || Value is "~" or "null" or "Null" or "NULL");
}

/// <summary>A mapping, in file order.</summary>
internal sealed record YMap(SourceLocation Location, IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries) : YNode(Location)
{
    public override string KindName => "a mapping";

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public bool Has(string key) => Entries.Any(e => e.Key.Value == key);
}

/// <summary>A sequence.</summary>
internal sealed record YSeq(SourceLocation Location, IReadOnlyList<YNode> Items) : YNode(Location)
{
    public override string KindName => "a list";
}

/// <summary>Reads YAML text into a <see cref="YNode"/> tree.</summary>
internal static class YamlTreeReader
{
    /// <summary>Parses the first document of <paramref name="text"/>; null when it is empty or unreadable.</summary>
    public static YNode? Read(string file, string text, List<PlaybookError> errors)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                errors.Add(new PlaybookError(new SourceLocation(file, 1, 1), "the file is empty; expected a playbook mapping"));
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(file, parser, errors);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _) && parser.Current is DocumentStart ds)
            {
                errors.Add(new PlaybookError(Loc(file, ds.Start), "a playbook file holds one YAML document; remove the '---' and what follows, or split the file"));
            }
            return root;
        }
        catch (YamlException ex)
        {
            errors.Add(new PlaybookError(Loc(file, ex.Start), "YAML syntax: " + Describe(ex)));
            return null;
        }
    }

    private static YNode ReadNode(string file, IParser parser, List<PlaybookError> errors)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new YScalar(Loc(file, scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(file, parser, errors));
            }
            return new YSeq(Loc(file, seqStart.Start), items);
        }
        if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(file, parser, errors);
                var value = ReadNode(file, parser, errors);
                if (keyNode is not YScalar key)
                {
                    errors.Add(new PlaybookError(keyNode.Location, $"a key must be a plain name, not {keyNode.KindName}"));
                    continue;
                }
                if (entries.Any(e => e.Key.Value == key.Value))
                {
                    var first = entries.First(e => e.Key.Value == key.Value).Key.Location;
                    errors.Add(new PlaybookError(key.Location, $"duplicate key '{key.Value}' (first at line {first.Line}, column {first.Column})"));
                    continue;
                }
                entries.Add(new(key, value));
            }
            return new YMap(Loc(file, mapStart.Start), entries);
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            errors.Add(new PlaybookError(Loc(file, alias.Start), "YAML aliases (*name) are not supported in playbooks; use a sub-flow or a shared mapping file"));
            return new YScalar(Loc(file, alias.Start), "", IsPlain: true);
        }
        var current = parser.Current!;
        throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
    }

    private static SourceLocation Loc(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string Describe(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; the location is reported separately.
        var message = ex.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        message = cut >= 0 ? message[(cut + 3)..] : message;
        return message.TrimEnd('.').ToLowerInvariant() switch
        {
            var m when m.Contains("mapping values are not allowed") => "a ':' where a value was expected; check the indentation of this line and the one above",
            var m when m.Contains("did not find expected key") => "bad indentation: this line is not aligned with the keys of its mapping",
            var m when m.Contains("did not find expected '-' indicator") => "bad indentation: this list item is not aligned with the items above it",
            var m when m.Contains("found character that cannot start any token") => "a character that cannot start a value here (a tab used for indentation?)",
            var m => m,
        };
    }
}
