using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Tests.Import;

namespace RpaWorker.MockEhr.Tests.Export;

[Collection(ImportedBundlesCollection.Name)]
public sealed class GroundTruthExporterTests(ImportedBundlesFixture synthea)
{
    [Fact]
    public void Export_SyntheaImport_MatchesTheSourceBundlesOnWhatTheScreensShow()
    {
        var exported = ReadExport(synthea.ExportDir);
        var sources = SourceBundles.ReadFolder(RepoPaths.Synthea)
            .Where(f => f.Resources.Any(r => SourceBundles.Type(r) == "Patient"))
            .ToList();
        var mismatches = new List<string>();

        Assert.Equal(sources.Count, exported.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var resources = sources[i].Resources;
            var fields = SourceBundles.PatientFields(resources.Single(r => SourceBundles.Type(r) == "Patient"));
            if (!exported.TryGetValue(fields["mrn"]!, out var export))
            {
                mismatches.Add($"patient #{i}: not in the export");
                continue;
            }
            foreach (var (field, value) in fields)
            {
                if (export.Fields[field] != value)
                {
                    mismatches.Add($"patient #{i}: {field}");
                }
            }
            foreach (var type in SourceBundles.ImportedTypes.Skip(1))
            {
                var expected = Keys(resources.Where(r => SourceBundles.Type(r) == type));
                var actual = Keys(export.Rows.Where(r => SourceBundles.Type(r) == type));
                if (!expected.SequenceEqual(actual))
                {
                    var differing = expected.Except(actual).Count() + actual.Except(expected).Count();
                    mismatches.Add($"patient #{i}: {type} rows ({expected.Count} in source, {actual.Count} exported, {differing} differ)");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void Export_SameStoreTwice_WritesByteIdenticalFiles()
    {
        var second = Directory.CreateTempSubdirectory("mockehr-export-").FullName;
        try
        {
            GroundTruthExporter.Export(synthea.Store, second);

            foreach (var type in GroundTruthExporter.ResourceTypes)
            {
                var a = File.ReadAllBytes(Path.Combine(synthea.ExportDir, type + ".ndjson"));
                var b = File.ReadAllBytes(Path.Combine(second, type + ".ndjson"));
                Assert.True(a.AsSpan().SequenceEqual(b), type + ".ndjson differs between two exports");
            }
        }
        finally
        {
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void Export_SyntheaImport_EveryLineParsesWithFirelyAndCountsMatch()
    {
        var deserializer = new FhirJsonDeserializer(new DeserializerSettings());

        foreach (var type in GroundTruthExporter.ResourceTypes)
        {
            var lines = File.ReadAllLines(Path.Combine(synthea.ExportDir, type + ".ndjson"));
            Assert.Equal(synthea.ExportCounts[type], lines.Length);
            // Synthea's bundles hold no documents: the importer brings none, and the export has none to write.
            Assert.Equal(synthea.Report.ImportedByType.GetValueOrDefault(type), lines.Length);
            foreach (var line in lines)
            {
                var resource = deserializer.DeserializeResource(line)!;
                Assert.Equal(type, resource.TypeName);
                Assert.StartsWith("mock-", resource.Id, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Export_LabAndVitalResults_CarryRangesInterpretationAndBloodPressureComponents()
    {
        var deserializer = new FhirJsonDeserializer(new DeserializerSettings());
        var observations = File.ReadLines(Path.Combine(synthea.ExportDir, "Observation.ndjson"))
            .Select(l => (Observation)deserializer.DeserializeResource(l)!).ToList();

        var bp = observations.First(o => o.Code.Coding[0].Code == "85354-9");
        Assert.Equal(["8480-6", "8462-4"], bp.Component.Select(c => c.Code.Coding[0].Code));
        Assert.All(bp.Component, c => Assert.Equal("mm[Hg]", Assert.IsType<Quantity>(c.Value).Code));
        Assert.Equal("vital-signs", bp.Category[0].Coding[0].Code);

        var flagged = observations.First(o => o.Interpretation.Count > 0 && o.Interpretation[0].Coding[0].Code == "H");
        Assert.Equal("laboratory", flagged.Category[0].Coding[0].Code);
        Assert.Equal("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flagged.Interpretation[0].Coding[0].System);
        var value = Assert.IsType<Quantity>(flagged.Value);
        Assert.True(flagged.ReferenceRange[0].High?.Value < value.Value);
        Assert.Equal("http://unitsofmeasure.org", value.System);
        Assert.EndsWith("+00:00", Assert.IsType<FhirDateTime>(flagged.Effective).Value, StringComparison.Ordinal);
    }

    private static List<string?> Keys(IEnumerable<JsonElement> resources) =>
        resources.Select(SourceBundles.RowKey).Order(StringComparer.Ordinal).ToList();

    private sealed record ExportedPatient(Dictionary<string, string?> Fields, List<JsonElement> Rows);

    /// <summary>The exported resources grouped by patient, keyed by MRN.</summary>
    private static Dictionary<string, ExportedPatient> ReadExport(string dir)
    {
        var byId = new Dictionary<string, ExportedPatient>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(dir, "Patient.ndjson")))
        {
            var p = JsonDocument.Parse(line).RootElement;
            byId["Patient/" + p.GetProperty("id").GetString()] = new ExportedPatient(SourceBundles.PatientFields(p), []);
        }
        foreach (var type in GroundTruthExporter.ResourceTypes.Skip(1))
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, type + ".ndjson")))
            {
                var r = JsonDocument.Parse(line).RootElement;
                var subject = r.TryGetProperty("subject", out var s) ? s : r.GetProperty("patient");
                byId[subject.GetProperty("reference").GetString()!].Rows.Add(r);
            }
        }
        return byId.Values.ToDictionary(p => p.Fields["mrn"]!, StringComparer.Ordinal);
    }
}
