using System.Globalization;
using System.Text.RegularExpressions;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.MockEhr.Tests.Generate;

public sealed class ChartGeneratorTests
{
    private static readonly Regex Loinc = new(@"^\d{1,7}-\d$");
    private static readonly Regex Digits = new(@"^\d+$");
    private static readonly Regex Snomed = new(@"^\d{6,18}$");
    private static readonly Regex IsoDate = new(@"^\d{4}-\d{2}-\d{2}$");
    private static readonly Regex IsoDateTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$");

    private static List<LegacyChart> CreateSut(int count, int seed = 42) => ChartGenerator.Generate(count, seed).ToList();

    [Fact]
    public void Generate_SameSeed_ReturnsIdenticalCharts()
    {
        var first = CreateSut(40, 7).Select(ChartAssert.Canonical);
        var second = CreateSut(40, 7).Select(ChartAssert.Canonical);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeeds_ReturnDifferentPatients()
    {
        var a = CreateSut(20, 1);
        var b = CreateSut(20, 2);

        Assert.NotEqual(a.Select(c => c.Patient.Mrn), b.Select(c => c.Patient.Mrn));
        Assert.Equal(20, a.Zip(b).Count(p => ChartAssert.Canonical(p.First) != ChartAssert.Canonical(p.Second)));
    }

    [Fact]
    public void Generate_FewerCharts_AreThePrefixOfMore()
    {
        var few = CreateSut(9, 123).Select(ChartAssert.Canonical);
        var many = CreateSut(60, 123).Select(ChartAssert.Canonical);

        Assert.Equal(few, many.Take(9));
    }

    [Fact]
    public void Generate_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChartGenerator.Generate(-1, 0));

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(-2026)]
    public void Generate_AnySeed_HasEachAwkwardCaseAtItsDocumentedIndex(int seed)
    {
        var charts = CreateSut(GeneratorCases.FirstOrdinaryIndex, seed);
        LegacyPatient P(int i) => charts[i].Patient;

        Assert.False(string.IsNullOrEmpty(P(GeneratorCases.MiddleName).MiddleName));
        Assert.Contains('\'', P(GeneratorCases.ApostropheName).LastName);
        Assert.Contains('-', P(GeneratorCases.HyphenatedName).LastName);
        Assert.Null(P(GeneratorCases.NoMiddleName).MiddleName);
        Assert.Contains(P(GeneratorCases.NonAsciiName).LastName + P(GeneratorCases.NonAsciiName).FirstName, ch => ch > 127);
        Assert.Equal(3, P(GeneratorCases.ThreeUnsignedNotes).UnsignedNotes);
        Assert.Null(P(GeneratorCases.MissingBirthDate).BirthDate);
        Assert.Matches(@"^\d{4}(-\d{2})?$", P(GeneratorCases.PartialBirthDate).BirthDate);
        Assert.NotNull(P(GeneratorCases.Deceased).DeceasedDate);

        Assert.Contains(charts[GeneratorCases.PartialOnsetDate].Problems, p => p.OnsetDate is { Length: 4 or 7 });

        var empty = charts[GeneratorCases.EmptySections];
        Assert.Empty(empty.Allergies);
        Assert.Empty(empty.Medications);
        Assert.Empty(empty.Immunizations);
        Assert.NotEmpty(empty.Encounters);

        Assert.Contains(charts[GeneratorCases.LongSig].Medications, m => m.Sig is { Length: >= 600 });

        var html = charts[GeneratorCases.HtmlText];
        Assert.Contains(html.Allergies, a => a.Reaction == "<b>rash</b> & itching");
        Assert.Contains(html.Medications, m => m.Sig is { } s && s.Contains("<script>alert('x')</script>", StringComparison.Ordinal));

        var smith1 = P(GeneratorCases.DuplicateNameFirst);
        var smith2 = P(GeneratorCases.DuplicateNameSecond);
        Assert.Equal(("SMITH", "JOHN"), (smith1.LastName.ToUpperInvariant(), smith1.FirstName.ToUpperInvariant()));
        Assert.Equal(("SMITH", "JOHN"), (smith2.LastName.ToUpperInvariant(), smith2.FirstName.ToUpperInvariant()));
        Assert.NotEqual(smith1.Mrn, smith2.Mrn);
        Assert.NotEqual(smith1.BirthDate, smith2.BirthDate);

        var longLists = charts[GeneratorCases.LongLists];
        Assert.True(longLists.Problems.Count >= 45, $"{longLists.Problems.Count} problems");
        Assert.True(longLists.Encounters.Count >= 25, $"{longLists.Encounters.Count} encounters");
        Assert.True(longLists.Results.Count >= 45, $"{longLists.Results.Count} results");
    }

    [Fact]
    public void Generate_DifferentSeeds_VaryTheAwkwardDetails()
    {
        var seeds = Enumerable.Range(0, 12).Select(s => CreateSut(GeneratorCases.FirstOrdinaryIndex, s)).ToList();

        Assert.True(seeds.Select(c => c[GeneratorCases.ApostropheName].Patient.LastName).Distinct().Count() > 1);
        Assert.True(seeds.Select(c => c[GeneratorCases.NonAsciiName].Patient.LastName).Distinct().Count() > 1);
        Assert.True(seeds.Select(c => c[GeneratorCases.PartialBirthDate].Patient.BirthDate!.Length).Distinct().Count() == 2);
    }

    [Fact]
    public void Generate_500Patients_MrnsAreUniqueSevenDigitNumbers()
    {
        var mrns = CreateSut(500).Select(c => c.Patient.Mrn).ToList();

        Assert.All(mrns, m => Assert.Matches(@"^[1-9]\d{6}$", m));
        Assert.Equal(mrns.Count, mrns.Distinct().Count());
    }

    [Fact]
    public void Generate_500Patients_AboutOneInFiveHasUnsignedNotes()
    {
        var patients = CreateSut(500).Select(c => c.Patient).ToList();
        var withNotes = patients.Count(p => p.UnsignedNotes > 0);

        Assert.All(patients, p => Assert.InRange(p.UnsignedNotes, 0, 3));
        Assert.InRange(withNotes, 60, 150);
    }

    [Fact]
    public void Generate_AnyChart_CodesHaveTheirSystemsShape()
    {
        foreach (var chart in CreateSut(60))
        {
            Assert.All(chart.Problems, p => Assert.Matches(Snomed, p.Code));
            Assert.All(chart.Medications, m => Assert.Matches(Digits, m.Code));
            Assert.All(chart.Allergies, a => Assert.Matches(Snomed, a.Code));
            Assert.All(chart.Results, r => Assert.Matches(Loinc, r.Code));
            Assert.All(chart.Results.Where(r => r.Kind == ResultValueKind.Coded), r => Assert.Matches(Snomed, r.ValueCode));
            Assert.All(chart.Immunizations, i => Assert.Matches(Digits, i.CvxCode));
            Assert.All(chart.Encounters, e => Assert.Matches(Snomed, e.TypeCode));
            Assert.All(chart.Encounters, e => Assert.Matches(@"^\d{10}$", e.ProviderNpi));
            Assert.All(chart.Encounters, e => Assert.Contains(e.Class, new[] { "AMB", "EMER", "IMP" }));
            Assert.All(chart.Encounters, e => Assert.Matches(@"^[A-Z' -]+, [A-Z' -]+$", e.Provider));
        }
    }

    [Fact]
    public void Generate_AnyChart_DatesAreWellFormedAndNotAfterTheReferenceDateOrDeath()
    {
        foreach (var chart in CreateSut(60))
        {
            var limit = chart.Patient.DeceasedDate ?? ChartGenerator.ReferenceDate.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            var stamps = chart.Results.Select(r => r.EffectiveAt)
                .Concat(chart.Encounters.Select(e => e.StartAt))
                .Concat(chart.Encounters.Select(e => e.EndAt).OfType<string>())
                .ToList();
            var dates = chart.Immunizations.Select(i => i.Date)
                .Concat(chart.Medications.Select(m => m.StartDate).OfType<string>())
                .Concat(chart.Problems.Select(p => p.ResolvedDate).OfType<string>())
                .Concat(chart.Allergies.Select(a => a.RecordedDate).OfType<string>())
                .ToList();

            Assert.All(stamps, s => Assert.Matches(IsoDateTime, s));
            Assert.All(dates, d => Assert.Matches(IsoDate, d));
            Assert.All(stamps.Concat(dates), s => Assert.True(string.CompareOrdinal(s, limit) <= 0, $"{s} after {limit}"));
            Assert.All(chart.Problems.Select(p => p.OnsetDate).OfType<string>(), d => Assert.Matches(@"^\d{4}(-\d{2}(-\d{2})?)?$", d));
        }
    }

    [Fact]
    public void Generate_EveryVisit_RecordsTheSevenVitalSigns()
    {
        string[] vitals = ["8302-2", "29463-7", "39156-5", "85354-9", "8867-4", "8310-5", "9279-1"];
        foreach (var chart in CreateSut(30))
        {
            foreach (var visit in chart.Encounters)
            {
                var day = visit.StartAt[..10];
                var codes = chart.Results.Where(r => r.Section == ResultSection.Vitals && r.EffectiveAt.StartsWith(day, StringComparison.Ordinal))
                    .Select(r => r.Code).ToHashSet();
                Assert.Superset(vitals.ToHashSet(), codes);
            }
            Assert.All(chart.Results.Where(r => r.Code == "85354-9"), r =>
            {
                Assert.Equal(ResultValueKind.BloodPressure, r.Kind);
                Assert.Matches(@"^\d{2,3}/\d{2,3}$", r.Value);
                Assert.Equal("mm[Hg]", r.Unit);
            });
        }
    }

    [Fact]
    public void Generate_TwentyPatients_LabsCarryReferenceRangesAndSomeAreAbnormal()
    {
        var labs = CreateSut(20).SelectMany(c => c.Results).Where(r => r.Section == ResultSection.Labs).ToList();

        Assert.NotEmpty(labs);
        Assert.All(labs, r =>
        {
            Assert.NotNull(LabCatalog.Find(r.Code, r.Unit));
            Assert.True(r.RefLow is not null || r.RefHigh is not null, r.Code);
            Assert.Contains(r.Flag, new[] { "H", "L", "N" });
            Assert.Equal(r.Value, LabCatalog.FormatValue(decimal.Parse(r.Value, CultureInfo.InvariantCulture)));
        });
        Assert.Contains(labs, r => r.Flag is "H" or "L");
        Assert.Contains(labs, r => r.Flag == "N");
    }

    [Fact]
    public void Generate_SocialAndOtherSections_HoldSmokingStatusAndScores()
    {
        var results = CreateSut(20).SelectMany(c => c.Results).ToList();
        var smoking = results.Where(r => r.Section == ResultSection.Social).ToList();

        Assert.NotEmpty(smoking);
        Assert.All(smoking, r =>
        {
            Assert.Equal("72166-2", r.Code);
            Assert.Equal(ResultValueKind.Coded, r.Kind);
            Assert.Equal("http://snomed.info/sct", r.ValueCodeSystem);
        });
        Assert.Contains(results, r => r.Section == ResultSection.Other && r.Code == "72514-3" && r.Unit == "{score}");
    }

    [Fact]
    public void AddChart_GeneratedCharts_ReadBackUnchangedApartFromIds()
    {
        using var store = LegacyStore.InMemory();

        foreach (var chart in CreateSut(GeneratorCases.FirstOrdinaryIndex + 8, 99))
        {
            var added = store.AddChart(chart);
            var readBack = store.GetChart(added.Patient.Id);

            Assert.NotNull(readBack);
            Assert.Equal(ChartAssert.Canonical(ChartAssert.WithoutIds(chart)), ChartAssert.Canonical(ChartAssert.WithoutIds(readBack)));
        }
    }
}
