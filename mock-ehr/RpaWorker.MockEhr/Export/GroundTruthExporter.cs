using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Export;

/// <summary>Writes FHIR R4 NDJSON of exactly what the mock EHR's screens show (tests and scoring only).</summary>
public static class GroundTruthExporter
{
    /// <summary>The resource types written, one file each (FHIR Bulk Data layout).</summary>
    public static IReadOnlyList<string> ResourceTypes { get; } =
        ["Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter", "DocumentReference"];

    /// <summary>
    /// Writes <c>&lt;outDir&gt;/&lt;Type&gt;.ndjson</c> for every type in <see cref="ResourceTypes"/> (an empty file
    /// when there is none), creating the folder, and returns the number of resources per type. Lines are ordered
    /// by patient id then row id and ids derive from the store's keys, so two exports of the same store are
    /// byte-identical.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Export(LegacyStore store, string outDir, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(outDir);
        var writers = ResourceTypes.ToDictionary(
            t => t,
            t => new StreamWriter(Path.Combine(outDir, t + ".ndjson"), false, new UTF8Encoding(false)) { NewLine = "\n" },
            StringComparer.Ordinal);
        var counts = ResourceTypes.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        try
        {
            foreach (var patient in store.ListPatients().OrderBy(p => p.Id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (store.GetChart(patient.Id) is not { } chart)
                {
                    continue;
                }
                foreach (var resource in GroundTruthMapper.ToFhir(chart))
                {
                    writers[resource.TypeName].WriteLine(resource.ToJson());
                    counts[resource.TypeName]++;
                }
            }
        }
        finally
        {
            foreach (var w in writers.Values)
            {
                w.Dispose();
            }
        }
        return counts;
    }
}
