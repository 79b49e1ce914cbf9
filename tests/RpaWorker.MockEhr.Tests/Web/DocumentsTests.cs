using System.Net;
using System.Text.RegularExpressions;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>The documents section: generated notes and letters, the Documents tab, a note as text, a letter only as a scan.</summary>
public sealed partial class DocumentsTests
{
    private static readonly IReadOnlyList<LegacyChart> Generated = ChartGenerator.Generate(40, ChartGenerator.DefaultSeed).ToList();

    [Fact]
    public void Generate_Documents_MentionThePatientsOwnProblemsMedicationsOrAllergies()
    {
        var documents = Generated.SelectMany(c => c.Documents.Select(d => (Chart: c, Doc: d))).ToList();

        Assert.All(Generated, c => Assert.InRange(c.Documents.Count, 0, DocumentWriter.MaxDocuments));
        Assert.Contains(documents, x => x.Doc.Type == LegacyDocument.Note);
        Assert.Contains(documents, x => x.Doc.Type == LegacyDocument.Letter);
        foreach (var (chart, doc) in documents.Where(x => x.Chart.Problems.Any(p => p.Status == "Active")))
        {
            var own = chart.Problems.Select(p => p.Description).Concat(chart.Medications.Select(m => m.Name)).Concat(chart.Allergies.Select(a => a.Substance));
            Assert.Contains(own, term => doc.Text.Contains(term, StringComparison.OrdinalIgnoreCase));
        }
        // Nothing of another patient's chart: every medication named is one of this patient's.
        foreach (var (chart, doc) in documents)
        {
            var named = ClinicalMeds().Where(m => doc.Text.Contains(m, StringComparison.Ordinal));
            Assert.All(named, m => Assert.Contains(chart.Medications, x => x.Name == m));
        }
    }

    [Fact]
    public async Task DocumentsTab_GeneratedChart_ListsEachDocumentAndOpensANoteAsText()
    {
        var (store, chart) = StoreWith(d => d.Type == LegacyDocument.Note);
        using (store)
        {
            await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
            using var http = await ScreensShowGroundTruthTests.LogInAsync(ehr.BaseAddress);
            var note = chart.Documents.First(d => d.Type == LegacyDocument.Note);

            var list = await http.GetStringAsync($"/chart/{chart.Patient.Id}?tab=documents");
            var page = await http.GetStringAsync($"/chart/{chart.Patient.Id}/documents/{note.Id}");

            Assert.Contains(">Documents<", list, StringComparison.Ordinal);
            Assert.All(chart.Documents, d => Assert.Contains(WebUtility.HtmlEncode(d.Title), list, StringComparison.Ordinal));
            Assert.Contains("Clinical note", list, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(note.Text), page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LetterPage_GeneratedChart_ShowsOnlyAScanWhoseOcrReadsTheLettersText()
    {
        var (store, chart) = StoreWith(d => d.Type == LegacyDocument.Letter);
        using (store)
        {
            await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
            using var http = await ScreensShowGroundTruthTests.LogInAsync(ehr.BaseAddress);
            var letter = chart.Documents.First(d => d.Type == LegacyDocument.Letter);

            var page = await http.GetStringAsync($"/chart/{chart.Patient.Id}/documents/{letter.Id}");
            using var scan = await http.GetAsync($"/chart/{chart.Patient.Id}/documents/{letter.Id}/scan.png");
            var image = Png.Decode(await scan.Content.ReadAsByteArrayAsync());
            var ocr = await TesseractOcr.Shared().RecognizeAsync(image, new OcrRequest { Layout = OcrLayout.Page }, CancellationToken.None);

            Assert.Contains("Scanned letter", page, StringComparison.Ordinal);
            Assert.Contains($"/documents/{letter.Id}/scan.png", page, StringComparison.Ordinal);
            // The letter's sentences are in the picture only, not in the page's HTML.
            var firstSentence = letter.Text.Split('\n')[4];
            Assert.DoesNotContain(firstSentence, page, StringComparison.Ordinal);
            Assert.Equal("image/png", scan.Content.Headers.ContentType?.MediaType);
            var expected = Words(letter.Text);
            var read = Words(ocr.Text).ToHashSet(StringComparer.Ordinal);
            var found = expected.Count(read.Contains);
            Assert.True(found >= expected.Count * 0.95, $"OCR read {found} of {expected.Count} words of the letter");
        }
    }

    [Fact]
    public async Task ScanPng_NotSignedIn_RedirectsToLogin()
    {
        var (store, chart) = StoreWith(d => d.Type == LegacyDocument.Letter);
        using (store)
        {
            await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = ehr.BaseAddress };
            var letter = chart.Documents.First(d => d.Type == LegacyDocument.Letter);

            using var response = await http.GetAsync($"/chart/{chart.Patient.Id}/documents/{letter.Id}/scan.png");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    private static (LegacyStore Store, LegacyChart Chart) StoreWith(Func<LegacyDocument, bool> wanted)
    {
        var store = LegacyStore.InMemory();
        var source = Generated.First(c => c.Documents.Any(wanted));
        return (store, store.AddChart(source));
    }

    private static IEnumerable<string> ClinicalMeds() =>
        Generated.SelectMany(c => c.Medications).Select(m => m.Name).Distinct(StringComparer.Ordinal);

    private static List<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();

    [GeneratedRegex(@"[A-Za-z]{3,}")]
    private static partial Regex WordPattern();
}
