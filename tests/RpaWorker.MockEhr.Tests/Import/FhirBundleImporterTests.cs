using System.Text.Json.Nodes;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Import;

namespace RpaWorker.MockEhr.Tests.Import;

[Collection(ImportedBundlesCollection.Name)]
public sealed class FhirBundleImporterTests(ImportedBundlesFixture synthea)
{
    [Fact]
    public void ImportFolder_SyntheaBundles_ImportsEveryPatientAndSkipsOnlyTheHospitalBundle()
    {
        var report = synthea.Report;

        Assert.Equal(80, report.FilesRead);
        Assert.Equal(79, report.Patients);
        Assert.Equal(79, synthea.Store.CountPatients());
        var skipped = Assert.Single(report.SkippedFiles);
        Assert.StartsWith("hospitalInformation", skipped.FileName, StringComparison.Ordinal);
        Assert.Equal("no Patient resource", skipped.Reason);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void ImportFolder_SyntheaBundles_CountsEqualWhatTheBundlesHold()
    {
        var source = SourceBundles.ReadFolder(RepoPaths.Synthea)
            .Where(f => f.Resources.Any(r => SourceBundles.Type(r) == "Patient"))
            .SelectMany(f => f.Resources)
            .GroupBy(SourceBundles.Type)
            .ToDictionary(g => g.Key, g => g.Count());

        foreach (var type in SourceBundles.ImportedTypes)
        {
            Assert.True(synthea.Report.ImportedByType.TryGetValue(type, out var imported), type + " missing from the report");
            Assert.True(source[type] == imported, $"{type}: source holds {source[type]}, report says {imported}");
        }
        var notImported = source.Keys.Except(SourceBundles.ImportedTypes).ToList();
        Assert.NotEmpty(notImported);
        foreach (var type in notImported)
        {
            var reported = synthea.Report.SkippedByReason.Where(x => x.Key.StartsWith(type + ": ", StringComparison.Ordinal)).Sum(x => x.Value);
            Assert.True(source[type] == reported, $"{type}: source holds {source[type]}, report skips {reported}");
        }
        Assert.Contains("Practitioner: used for provider names only", synthea.Report.SkippedByReason.Keys);
        Assert.Contains("Claim: not shown by this EHR", synthea.Report.SkippedByReason.Keys);
    }

    [Fact]
    public void Format_SyntheaReport_SummarisesCountsWithoutPatientData()
    {
        var text = synthea.Report.Format();
        var someone = synthea.Store.ListPatients()[0];

        Assert.Contains("patients imported: 79", text, StringComparison.Ordinal);
        Assert.Contains("Observation: " + synthea.Report.ImportedByType["Observation"], text, StringComparison.Ordinal);
        Assert.Contains("hospitalInformation", text, StringComparison.Ordinal);
        Assert.DoesNotContain(someone.Mrn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(someone.LastName + ",", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportFolder_SyntheaBundles_MapsPatientsAndRowsTheWayTheScreensShowThem()
    {
        var charts = synthea.Store.ListPatients().Select(p => synthea.Store.GetChart(p.Id)!).ToList();

        Assert.All(charts, c => Assert.Matches("^[A-Z]{2}$", c.Patient.State));
        Assert.All(charts, c => Assert.Contains(c.Patient.Sex, new[] { "M", "F" }));
        var withNotes = charts.Count(c => c.Patient.UnsignedNotes > 0);
        Assert.InRange(withNotes, 8, 35);
        Assert.All(charts, c => Assert.InRange(c.Patient.UnsignedNotes, 0, 3));

        var results = charts.SelectMany(c => c.Results).ToList();
        var bp = results.Where(r => r.Kind == ResultValueKind.BloodPressure).ToList();
        Assert.NotEmpty(bp);
        Assert.All(bp, r => Assert.Matches(@"^\d+(\.\d{1,2})?/\d+(\.\d{1,2})?$", r.Value));
        Assert.All(results.Where(r => r.Code == "72166-2"), r => Assert.Equal(ResultSection.Social, r.Section));
        Assert.Contains(results, r => r.Section == ResultSection.Labs && r.Flag is "H" or "L");
        Assert.All(results, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d$", r.EffectiveAt));

        var encounters = charts.SelectMany(c => c.Encounters).ToList();
        Assert.Contains(encounters, e => e.Provider is { } p && p == p.ToUpperInvariant() && p.Contains(", ", StringComparison.Ordinal) && e.ProviderNpi is not null);
        var meds = charts.SelectMany(c => c.Medications).ToList();
        Assert.All(meds, m => Assert.Contains(m.Status, new[] { "Active", "Stopped", "Completed", "On hold" }));
        Assert.Contains(meds, m => m.Prescriber is not null);
    }

    [Fact]
    public void ImportFolder_SameFolderTwice_SkipsChartsWhoseMrnIsAlreadyStored()
    {
        using var temp = new TempFolder();
        var first = SyntheaFiles().First();
        File.Copy(first, Path.Combine(temp.Path, Path.GetFileName(first)));
        using var store = LegacyStore.InMemory();

        FhirBundleImporter.ImportFolder(temp.Path, store);
        var again = FhirBundleImporter.ImportFolder(temp.Path, store);

        Assert.Equal(1, store.CountPatients());
        Assert.Equal(0, again.Patients);
        Assert.Equal("MRN already in the store", Assert.Single(again.SkippedFiles).Reason);
    }

    [Fact]
    public void ImportFolder_BadFilesAmongGoodOnes_ReportsEachByNameAndImportsTheRest()
    {
        using var temp = new TempFolder();
        var (good, other) = (SyntheaFiles()[0], SyntheaFiles()[1]);
        File.Copy(good, Path.Combine(temp.Path, "a-good.json"));
        var bytes = File.ReadAllBytes(other);
        File.WriteAllBytes(Path.Combine(temp.Path, "b-truncated.json"), bytes[..(bytes.Length / 2)]);
        var bundle = JsonNode.Parse(File.ReadAllText(other))!;
        var entries = bundle["entry"]!.AsArray();
        var fooIndex = entries.Select((e, i) => (e, i)).First(x => (string?)x.e!["resource"]!["resourceType"] == "Observation").i;
        entries[fooIndex]!["resource"]!["resourceType"] = "Foo";
        File.WriteAllText(Path.Combine(temp.Path, "c-unknown-type-Zoë.json"), bundle.ToJsonString());
        File.WriteAllText(Path.Combine(temp.Path, "d-notes.txt"), "Not a bundle, just notes.\n");
        File.WriteAllText(Path.Combine(temp.Path, "e-patient.json"), """{"resourceType":"Patient","id":"x"}""");
        using var store = LegacyStore.InMemory();

        var report = FhirBundleImporter.ImportFolder(temp.Path, store);

        Assert.Equal(5, report.FilesRead);
        Assert.Equal(2, report.Patients);
        Assert.Equal(2, store.CountPatients());
        var skipped = report.SkippedFiles.ToDictionary(f => f.FileName, f => f.Reason);
        Assert.Equal(["b-truncated.json", "d-notes.txt", "e-patient.json"], skipped.Keys.Order(StringComparer.Ordinal));
        Assert.Matches(@"^not valid JSON: line \d+, byte \d+$", skipped["b-truncated.json"]);
        Assert.Matches(@"^not valid JSON: line 1, byte \d+$", skipped["d-notes.txt"]);
        Assert.Equal("not a FHIR Bundle", skipped["e-patient.json"]);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("c-unknown-type-Zoë.json", warning.FileName);
        Assert.Equal(fooIndex, warning.EntryIndex);
        Assert.Contains("c-unknown-type-Zoë.json, entry " + fooIndex, report.Format(), StringComparison.Ordinal);

        var sourceObservations = new[] { good, other }.Sum(f => SourceBundles.ReadBundle(f).Count(r => SourceBundles.Type(r) == "Observation"));
        Assert.Equal(sourceObservations - 1, report.ImportedByType["Observation"]);
    }

    [Fact]
    public void ImportFolder_Cancelled_StopsBeforeTheNextFile()
    {
        using var store = LegacyStore.InMemory();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => FhirBundleImporter.ImportFolder(RepoPaths.Synthea, store, cts.Token));
        Assert.Equal(0, store.CountPatients());
    }

    private static List<string> SyntheaFiles() =>
        Directory.GetFiles(RepoPaths.Synthea, "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("hospitalInformation", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
}

/// <summary>A temporary folder removed on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mockehr-import-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
