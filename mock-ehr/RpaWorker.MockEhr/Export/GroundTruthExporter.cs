using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Export;

/// <summary>Writes FHIR R4 NDJSON of exactly what the mock EHR's screens show (tests and scoring only).</summary>
public static class GroundTruthExporter
{
    /// <summary>Writes one NDJSON file per resource type into <paramref name="outDir"/>; returns counts per type.</summary>
    public static IReadOnlyDictionary<string, int> Export(LegacyStore store, string outDir, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("placeholder: being written");
}
