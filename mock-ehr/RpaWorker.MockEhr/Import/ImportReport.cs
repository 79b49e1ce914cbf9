using System.Globalization;
using System.Text;

namespace RpaWorker.MockEhr.Import;

/// <summary>What an import of FHIR bundles brought into the mock EHR, and what it left out and why.</summary>
/// <remarks>Holds file names, resource types, counts and reasons only: never patient data.</remarks>
public sealed record ImportReport
{
    /// <summary>Files read from the folder, whether imported or skipped.</summary>
    public int FilesRead { get; init; }

    /// <summary>Patients imported (one per imported file).</summary>
    public int Patients { get; init; }

    /// <summary>Resources imported, by FHIR resource type.</summary>
    public IReadOnlyDictionary<string, int> ImportedByType { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Resources of imported files that were not imported, by "Type: reason"
    /// (e.g. "Claim: not shown by this EHR"). Resources of skipped files are not counted here.
    /// </summary>
    public IReadOnlyDictionary<string, int> SkippedByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Files skipped whole, with the reason, in the order read.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; init; } = [];

    /// <summary>Problems inside files that were imported anyway (e.g. an entry of an unknown resource type).</summary>
    public IReadOnlyList<ImportWarning> Warnings { get; init; } = [];

    /// <summary>A multi-line summary for the console.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"Files read: {FilesRead}, patients imported: {Patients}, files skipped: {SkippedFiles.Count}").AppendLine();
        if (ImportedByType.Count > 0)
        {
            sb.AppendLine("Imported:");
            foreach (var (type, n) in ImportedByType.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                sb.Append(ci, $"  {type}: {n}").AppendLine();
            }
        }
        if (SkippedByReason.Count > 0)
        {
            sb.AppendLine("Not imported:");
            foreach (var (reason, n) in SkippedByReason.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                sb.Append(ci, $"  {reason}: {n}").AppendLine();
            }
        }
        if (SkippedFiles.Count > 0)
        {
            sb.AppendLine("Skipped files:");
            foreach (var f in SkippedFiles)
            {
                sb.Append(ci, $"  {f.FileName}: {f.Reason}").AppendLine();
            }
        }
        if (Warnings.Count > 0)
        {
            sb.AppendLine("Warnings:");
            foreach (var w in Warnings)
            {
                sb.Append(ci, $"  {w}").AppendLine();
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();
}

/// <summary>A bundle file that could not be imported.</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="Reason">Why, PHI-free (e.g. "not valid JSON: line 1, byte 5032").</param>
public sealed record SkippedFile(string FileName, string Reason);

/// <summary>A problem with one entry of a file whose other entries were imported.</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="EntryIndex">Zero-based index in Bundle.entry.</param>
/// <param name="Message">What was wrong, PHI-free.</param>
public sealed record ImportWarning(string FileName, int EntryIndex, string Message)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FileName}, entry {EntryIndex}: {Message}");
}
