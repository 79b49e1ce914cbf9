using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using RpaWorker.Fhir;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Import;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Tests.FhirApi.Support;

/// <summary>One patient's chart as the mock EHR shows it: the Patient and its other resources.</summary>
public sealed record Chart(Patient Patient, IReadOnlyList<Resource> Resources)
{
    public string Mrn => Patient.Identifier.Single(i => i.System == ImportedCharts.MrnSystem).Value!;

    public string Family => Patient.Name[0].Family!;

    public string BirthDate => Patient.BirthDate!;

    public string PatientId => Patient.Id!;

    public string Reference => "Patient/" + PatientId;
}

/// <summary>
/// Real charts for the store: three Synthea bundles imported into the mock EHR and exported as its ground truth, so
/// the resources are what a playbook run over those screens publishes. Built once per test collection.
/// </summary>
public sealed class ImportedCharts
{
    public const string MrnSystem = "urn:rpaworker:mock-ehr:mrn";
    public const string Source = "urn:rpaworker:ehr:mock-ehr";

    private static readonly string[] Bundles =
    [
        "Alfreda_Wyman_3287b938-4670-47eb-91e5-e0ce3df71405.json",
        "Antonio_Runolfsson_a1795152-808d-4cb9-b259-ce6e3716dedf.json",
        "Antonina_Steuber_56dee5cf-86c7-4d7d-80fc-daa4d985c571.json",
    ];

    public ImportedCharts()
    {
        var work = Directory.CreateTempSubdirectory("rpa-host-synthea-").FullName;
        try
        {
            var input = Directory.CreateDirectory(Path.Combine(work, "bundles")).FullName;
            foreach (var bundle in Bundles)
            {
                File.Copy(Path.Combine(TestData.Synthea, bundle), Path.Combine(input, bundle));
            }

            using var store = LegacyStore.InMemory();
            FhirBundleImporter.ImportFolder(input, store);
            var export = Path.Combine(work, "export");
            GroundTruthExporter.Export(store, export);
            Charts = ReadCharts(export);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        if (Charts.Count != Bundles.Length || Charts.Any(c => c.Resources.Count < 10))
        {
            throw new InvalidOperationException("The Synthea fixture did not produce three charts of ten or more resources.");
        }
    }

    public IReadOnlyList<Chart> Charts { get; }

    /// <summary>
    /// The chart as a playbook run publishes it at <paramref name="now"/>: every resource stamped with the source and
    /// the time, and a Provenance targeting them all (with a deterministic id per patient).
    /// </summary>
    public static IReadOnlyList<PublishedResource> Batch(Chart chart, DateTimeOffset now)
    {
        var resources = chart.Resources.Select(r => (Resource)r.DeepCopy()).ToList();
        foreach (var resource in resources)
        {
            FhirMeta.Stamp(resource, Source, now);
        }

        var provenance = ProvenanceFactory.Create([.. resources.Select(r => $"{r.TypeName}/{r.Id}")], "mock-ehr/chart", "1.0.0", "RpaWorker tests", now, ["Chart"]);
        provenance.Id = ResourceIds.For(Source, "Provenance", "mock-ehr/chart|" + chart.Mrn);
        FhirMeta.Stamp(provenance, Source, now);
        return [.. resources.Append(provenance).Select(FhirJson.ToPublished)];
    }

    private static List<Chart> ReadCharts(string exportFolder)
    {
        var deserializer = new FhirJsonDeserializer(new DeserializerSettings());
        var byPatient = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
        var patients = new List<Patient>();
        foreach (var file in Directory.GetFiles(exportFolder, "*.ndjson").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                var resource = deserializer.DeserializeResource(line);
                if (resource is Patient patient)
                {
                    patients.Add(patient);
                    continue;
                }

                using var json = JsonDocument.Parse(line);
                var owner = new[] { "subject", "patient" }
                    .Select(p => json.RootElement.TryGetProperty(p, out var reference) ? reference.GetProperty("reference").GetString() : null)
                    .First(r => r is not null)!;
                (byPatient.TryGetValue(owner, out var list) ? list : byPatient[owner] = []).Add(resource);
            }
        }

        return [.. patients.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new Chart(p, [p, .. byPatient.GetValueOrDefault("Patient/" + p.Id) ?? []]))];
    }
}

[CollectionDefinition(Name)]
public sealed class SyntheaCollection : ICollectionFixture<ImportedCharts>
{
    public const string Name = "Synthea charts";
}
