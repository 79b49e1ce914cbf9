namespace RpaWorker.MockEhr.Import;

/// <summary>What an import of FHIR bundles brought into the mock EHR, and what it left out and why.</summary>
public sealed record ImportReport
{
    /// <summary>Bundle files read.</summary>
    public int FilesRead { get; init; }

    /// <summary>Patients imported.</summary>
    public int Patients { get; init; }

    /// <summary>Resources imported, by FHIR resource type.</summary>
    public IReadOnlyDictionary<string, int> ImportedByType { get; init; } = new Dictionary<string, int>();

    /// <summary>Resources not imported, by FHIR resource type and reason (e.g. "Claim: not shown by the EHR").</summary>
    public IReadOnlyDictionary<string, int> SkippedByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Files skipped whole, with the reason. File names only, never patient data.</summary>
    public IReadOnlyList<SkippedFile> SkippedFiles { get; init; } = [];
}

/// <summary>A bundle file that could not be imported.</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="Reason">Why, PHI-free (e.g. "not valid JSON at line 3, position 17").</param>
public sealed record SkippedFile(string FileName, string Reason);
