using System.Text;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.MockEhr.Tests.Generate;

/// <summary>
/// The demo data must not change by accident: recorded fixtures, screenshots and benchmark baselines
/// depend on it. When the generator changes on purpose, replace the verified file with the received one.
/// </summary>
public sealed class ChartGeneratorSnapshotTests
{
    // Named for seed 1, the default seed.
    private const string VerifiedName = "generated-12-seed1.verified.txt";

    [Fact]
    public void Generate_TwelveChartsDefaultSeed_MatchesTheApprovedSnapshot()
    {
        var received = Render(ChartGenerator.Generate(GeneratorCases.FirstOrdinaryIndex, ChartGenerator.DefaultSeed));
        var verifiedPath = Path.Combine(RepoPaths.Root, "tests", "RpaWorker.MockEhr.Tests", "Generate", "Snapshots", VerifiedName);
        var receivedPath = Path.Combine(AppContext.BaseDirectory, VerifiedName.Replace(".verified.", ".received.", StringComparison.Ordinal));
        File.WriteAllText(receivedPath, received);

        Assert.True(File.Exists(verifiedPath), $"No approved snapshot; review {receivedPath} and copy it to {verifiedPath}.");
        var verified = File.ReadAllText(verifiedPath).ReplaceLineEndings("\n");
        var expectedLines = verified.Split('\n');
        var actualLines = received.Split('\n');
        var firstDiff = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .FirstOrDefault(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i], -1);

        Assert.True(firstDiff < 0,
            $"Generated data differs from {verifiedPath} at line {firstDiff + 1}; received file: {receivedPath}\n" +
            $"- {expectedLines.ElementAtOrDefault(firstDiff)}\n+ {actualLines.ElementAtOrDefault(firstDiff)}");
    }

    /// <summary>One line per row, results grouped per time stamp, so a diff reads like the chart.</summary>
    private static string Render(IEnumerable<LegacyChart> charts)
    {
        var sb = new StringBuilder();
        foreach (var (chart, i) in charts.Select((c, i) => (c, i)))
        {
            var p = chart.Patient;
            sb.Append($"#{i} {p.Mrn} {p.LastName}, {p.FirstName} {p.MiddleName} | {p.BirthDate} {p.Sex} | {p.AddressLine}, {p.City} {p.State} {p.Zip} | ")
              .Append($"{p.Phone} {p.MaritalStatus} {p.Language} | deceased {p.DeceasedDate} | unsigned {p.UnsignedNotes}\n");
            foreach (var x in chart.Problems)
            {
                sb.Append($"  problem {x.Code} {x.Description} | {x.OnsetDate} {x.Status} {x.ResolvedDate}\n");
            }
            foreach (var x in chart.Medications)
            {
                sb.Append($"  med {x.Code} {x.Name} | {x.Status} {x.StartDate} | {x.Prescriber} | {x.Sig}\n");
            }
            foreach (var x in chart.Allergies)
            {
                sb.Append($"  allergy {x.Code} {x.Substance} | {x.Reaction} | {x.Criticality} {x.Status} {x.Category} {x.RecordedDate}\n");
            }
            foreach (var x in chart.Immunizations)
            {
                sb.Append($"  imm {x.CvxCode} {x.Date}\n");
            }
            foreach (var x in chart.Encounters)
            {
                sb.Append($"  enc {x.StartAt}-{x.EndAt} {x.TypeCode} {x.Class} {x.Provider} {x.ProviderNpi} | {x.ReasonCode}\n");
            }
            foreach (var group in chart.Results.GroupBy(r => r.EffectiveAt))
            {
                sb.Append($"  at {group.Key}: ")
                  .AppendJoin(' ', group.Select(r => $"{r.Code}={r.Value}{(r.Flag is "H" or "L" ? "!" + r.Flag : "")}"))
                  .Append('\n');
            }
            foreach (var x in chart.Documents)
            {
                sb.Append($"  doc {x.Type} {x.Date} {x.Author} | {x.Title} | {x.Text.Replace('\n', '/')}\n");
            }
        }
        return sb.ToString();
    }
}
