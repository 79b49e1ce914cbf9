using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>Where a heal proposal stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealStatus>))]
public enum HealStatus
{
    /// <summary>Found by a run and used by later runs until an engineer decides.</summary>
    Proposed,
    /// <summary>Written into the playbook by <c>rpa heal accept</c>; no longer applied by runs.</summary>
    Accepted,
    /// <summary>Turned down: never applied, and not proposed again.</summary>
    Rejected,
}

/// <summary>One change to a playbook file: on line <see cref="Line"/>, the text <see cref="Old"/> at <see cref="Column"/> becomes <see cref="New"/>.</summary>
/// <param name="File">The playbook file (or the shared file it imports), as the loader was given it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column where <see cref="Old"/> starts.</param>
/// <param name="Old">The text there now (a YAML scalar, quotes included).</param>
/// <param name="New">What it becomes.</param>
public sealed record HealEdit(string File, int Line, int Column, string Old, string New);

/// <summary>
/// A heal written down as a proposed playbook change. It names targets, labels and column headers as the playbook and
/// the screen's structure have them, never a value read from the screen.
/// </summary>
public sealed record HealProposal
{
    /// <summary>Required. A short id for <c>rpa heal show|accept|reject</c>, stable for the same change.</summary>
    public required string Id { get; init; }

    /// <summary>Required. The playbook's id.</summary>
    public required string Playbook { get; init; }

    /// <summary>Required. The playbook's version: heals apply to the version they were found for.</summary>
    public required string Version { get; init; }

    /// <summary>Required. What the playbook wrote, e.g. <c>right_of "DOB:"</c> or <c>column "Name" of steps[3].extract_table</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The steps (paths) that use the target.</summary>
    public IReadOnlyList<string> Sites { get; init; } = [];

    /// <summary>The locator that finds it now; null for a column heal.</summary>
    public UiLocator? Locator { get; init; }

    /// <summary>The column header that replaces the playbook's; null for a locator heal.</summary>
    public string? Header { get; init; }

    /// <summary>How well the chosen candidate matched the fingerprint (0 to 1).</summary>
    public double Score { get; init; }

    /// <summary>How well the next best candidate matched (0 when there was none).</summary>
    public double RunnerUp { get; init; }

    /// <summary>
    /// Who chose it: null for the deterministic scorer, <see cref="ByAi"/> when the AI tier chose among candidates the
    /// scorer could not tell apart (or resolved an <c>ai:</c> target). Either way it passed the same checks.
    /// </summary>
    public string? ChosenBy { get; init; }

    /// <summary>The <see cref="ChosenBy"/> of a heal the AI tier chose.</summary>
    public const string ByAi = "ai";

    /// <summary>The edits that make the change in the playbook files.</summary>
    public IReadOnlyList<HealEdit> Edits { get; init; } = [];

    /// <summary>Where it stands.</summary>
    public HealStatus Status { get; init; } = HealStatus.Proposed;

    /// <summary>When a run first found it.</summary>
    public DateTimeOffset Found { get; init; }

    /// <summary>How often runs have used it.</summary>
    public int Uses { get; init; }

    /// <summary>The change as a unified diff of the playbook files (computed from <see cref="Edits"/>).</summary>
    public string Diff() => PlaybookPatch.Diff(Edits);
}

/// <summary>What was learnt about a table column on the known-good screen, to find it again when it is renamed.</summary>
/// <param name="Header">The header as the playbook writes it.</param>
/// <param name="Index">Its position among the table's columns.</param>
/// <param name="Count">How many columns the table had.</param>
/// <param name="Left">The header to its left, or empty.</param>
/// <param name="Right">The header to its right, or empty.</param>
/// <param name="Shape">What its cells look like (date, number, code, text, empty): a class, never a value.</param>
public sealed record ColumnPrint(string Header, int Index, int Count, string Left, string Right, string Shape);

/// <summary>
/// The heal store: fingerprints learnt from runs on known-good screens and heal proposals, in one JSON file. By default
/// it sits beside the playbook (<c>chart.yaml</c> keeps <c>chart.heal.json</c>); <c>rpa run --heal-store</c> and the
/// <c>rpa heal</c> commands take another path. Fingerprints are keyed by playbook id, version and the target's path in
/// the playbook. Safe for the sessions of one run to share.
/// </summary>
public sealed class HealStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock _gate = new();
    private readonly Document _document;

    private HealStore(string path, Document document)
    {
        Path = path;
        _document = document;
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <summary>The store beside a playbook file: <c>NAME.heal.json</c> in its folder.</summary>
    public static string DefaultPathFor(string playbookFile) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(playbookFile)) ?? ".",
            System.IO.Path.GetFileNameWithoutExtension(playbookFile) + ".heal.json");

    /// <summary>Opens the store at <paramref name="path"/>; a missing file is an empty store (created on the first save).</summary>
    /// <exception cref="HealStoreException">The file is not a heal store.</exception>
    public static HealStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new HealStore(full, new Document());
        }
        try
        {
            return new HealStore(full, JsonSerializer.Deserialize<Document>(File.ReadAllText(full), Json) ?? new Document());
        }
        catch (JsonException ex)
        {
            throw new HealStoreException($"{full} is not a heal store (line {ex.LineNumber + 1}: {ex.Message.Split('.')[0]})");
        }
    }

    /// <summary>A store kept in memory only, for runs without self-healing that still resolve <c>ai:</c> targets.</summary>
    internal static HealStore InMemory() => new("", new Document());

    /// <summary>Every proposal, oldest first.</summary>
    public IReadOnlyList<HealProposal> Proposals
    {
        get
        {
            lock (_gate)
            {
                return [.. _document.Proposals];
            }
        }
    }

    /// <summary>The proposal with this id (or the only one whose id starts with it), else null.</summary>
    public HealProposal? Find(string id)
    {
        var matches = Proposals.Where(p => p.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : matches.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Sets a proposal's status and saves.</summary>
    public void SetStatus(string id, HealStatus status)
    {
        lock (_gate)
        {
            var i = _document.Proposals.FindIndex(p => p.Id == id);
            if (i < 0)
            {
                throw new HealStoreException($"no heal proposal '{id}' in {Path}");
            }
            _document.Proposals[i] = _document.Proposals[i] with { Status = status };
            SaveLocked();
        }
    }

    /// <summary>Writes the store to its file.</summary>
    public void Save()
    {
        lock (_gate)
        {
            SaveLocked();
        }
    }

    internal static string Key(string playbook, string version) => $"{playbook}@{version}";

    internal UiFingerprint? Fingerprint(string playbookKey, string site)
    {
        lock (_gate)
        {
            return _document.Fingerprints.TryGetValue(playbookKey, out var sites) && sites.TryGetValue(site, out var known) ? known.Element : null;
        }
    }

    internal IReadOnlyList<ColumnPrint> Columns(string playbookKey, string site)
    {
        lock (_gate)
        {
            return _document.Fingerprints.TryGetValue(playbookKey, out var sites) && sites.TryGetValue(site, out var known) ? known.Columns : [];
        }
    }

    internal void Learn(string playbookKey, string site, UiFingerprint? element, IReadOnlyList<ColumnPrint>? columns)
    {
        lock (_gate)
        {
            if (!_document.Fingerprints.TryGetValue(playbookKey, out var sites))
            {
                _document.Fingerprints[playbookKey] = sites = new Dictionary<string, Learnt>(StringComparer.Ordinal);
            }
            var known = sites.GetValueOrDefault(site) ?? new Learnt();
            sites[site] = known with { Element = element ?? known.Element, Columns = columns is { Count: > 0 } ? [.. columns] : known.Columns };
            SaveLocked();
        }
    }

    /// <summary>The proposal in force for a target: proposed (accepted ones are in the playbook already).</summary>
    internal HealProposal? Active(string playbook, string version, string target)
    {
        lock (_gate)
        {
            return _document.Proposals.LastOrDefault(p => p.Playbook == playbook && p.Version == version && p.Target == target && p.Status == HealStatus.Proposed);
        }
    }

    /// <summary>Whether an engineer turned this change down before.</summary>
    internal bool WasRejected(string playbook, string version, string target, UiLocator? locator, string? header)
    {
        lock (_gate)
        {
            return _document.Proposals.Any(p => p.Playbook == playbook && p.Version == version && p.Target == target && p.Status == HealStatus.Rejected
                                                && p.Locator == locator && p.Header == header);
        }
    }

    /// <summary>Adds a proposal (or counts another use of the same one) and saves. Returns it and whether it is new.</summary>
    internal (HealProposal Proposal, bool New) Propose(HealProposal proposal)
    {
        lock (_gate)
        {
            var i = _document.Proposals.FindIndex(p => p.Id == proposal.Id);
            if (i >= 0)
            {
                _document.Proposals[i] = _document.Proposals[i] with { Uses = _document.Proposals[i].Uses + 1 };
                SaveLocked();
                return (_document.Proposals[i], false);
            }
            _document.Proposals.Add(proposal with { Uses = 1 });
            SaveLocked();
            return (_document.Proposals[^1], true);
        }
    }

    internal void Used(string id)
    {
        lock (_gate)
        {
            var i = _document.Proposals.FindIndex(p => p.Id == id);
            if (i >= 0)
            {
                _document.Proposals[i] = _document.Proposals[i] with { Uses = _document.Proposals[i].Uses + 1 };
            }
        }
    }

    /// <summary>A short id that is the same for the same change to the same playbook version.</summary>
    internal static string IdOf(string playbook, string version, string target, string change) =>
        "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{playbook}\n{version}\n{target}\n{change}")))[..8];

    private void SaveLocked()
    {
        if (Path.Length == 0)
        {
            return;
        }
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        // Written whole to a temporary file, then moved: a run that is killed mid-write leaves the old store intact.
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_document, Json));
        File.Move(temporary, Path, overwrite: true);
    }

    private sealed record Learnt
    {
        public UiFingerprint? Element { get; init; }
        public List<ColumnPrint> Columns { get; init; } = [];
    }

    private sealed class Document
    {
        public Dictionary<string, Dictionary<string, Learnt>> Fingerprints { get; init; } = new(StringComparer.Ordinal);
        public List<HealProposal> Proposals { get; init; } = [];
    }
}

/// <summary>The heal store cannot be read or changed as asked. The message names the file and the proposal, never screen data.</summary>
public sealed class HealStoreException(string message) : RpaWorkerException(message);
