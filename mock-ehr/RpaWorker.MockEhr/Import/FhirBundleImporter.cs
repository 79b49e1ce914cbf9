using System.Text.Json;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Import;

/// <summary>Maps a folder of FHIR R4 bundles (Synthea output or similar) into the legacy data model.</summary>
public static class FhirBundleImporter
{
    /// <summary>
    /// Imports every file in <paramref name="folder"/> (not recursive), in ordinal order of file name, as one
    /// patient bundle each. A file that is not JSON, not a Bundle, has no or several Patients, or whose MRN
    /// is already in <paramref name="store"/> is skipped whole and listed in <see cref="ImportReport.SkippedFiles"/>;
    /// the other files are still imported. Each chart is stored in one transaction, so a skipped file leaves
    /// nothing behind.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; charts of files already read stay stored.</exception>
    public static ImportReport ImportFolder(string folder, LegacyStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Import folder not found: {folder}");
        }

        var files = Directory.GetFiles(folder).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        var imported = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var skippedFiles = new List<SkippedFile>();
        var warnings = new List<ImportWarning>();
        var patients = 0;
        foreach (var path in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fileName = Path.GetFileName(path);
            var outcome = ReadFile(fileName, path);
            if (outcome.SkipReason is null && store.MrnExists(outcome.Chart!.Patient.Mrn))
            {
                outcome = outcome with { SkipReason = "MRN already in the store" };
            }
            if (outcome.SkipReason is { } reason)
            {
                skippedFiles.Add(new SkippedFile(fileName, reason));
                continue;
            }
            store.AddChart(outcome.Chart!);
            patients++;
            Merge(imported, outcome.Imported);
            Merge(skipped, outcome.Skipped);
            warnings.AddRange(outcome.Warnings);
        }

        return new ImportReport
        {
            FilesRead = files.Count,
            Patients = patients,
            ImportedByType = imported,
            SkippedByReason = skipped,
            SkippedFiles = skippedFiles,
            Warnings = warnings,
        };
    }

    private static BundleOutcome ReadFile(string fileName, string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return BundleMapper.Map(fileName, doc.RootElement);
        }
        catch (JsonException ex)
        {
            // Position only: the message of a JsonException can quote the offending text.
            return Skipped($"not valid JSON: line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}");
        }
        catch (IOException ex)
        {
            return Skipped($"could not be read ({ex.GetType().Name})");
        }
        catch (UnauthorizedAccessException)
        {
            return Skipped("could not be read (access denied)");
        }
    }

    private static BundleOutcome Skipped(string reason) =>
        new(null, reason, new Dictionary<string, int>(), new Dictionary<string, int>(), []);

    private static void Merge(Dictionary<string, int> into, IReadOnlyDictionary<string, int> from)
    {
        foreach (var (key, n) in from)
        {
            into[key] = into.GetValueOrDefault(key) + n;
        }
    }
}
