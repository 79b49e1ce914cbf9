using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;

// The pixel driver's benchmark: OCR model load time, capture and OCR latency per window of the mock EHR shown in a real
// Chromium window, word accuracy of each preprocessing and page layout against the text of the same pages, and the
// driver's own reads (banner values, tables) with their confirmation. Prints Markdown. Not a test: nothing is asserted.
//   dotnet run --project tests/RpaWorker.Drivers.Desktop.Benchmarks -c Release -- [--runs N] [--latency-only]
//   … -- --doubtful-words DIR [--runs N]   only the cost of reading doubtful words again, on the PNG screens in DIR
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(20);
var latencyOnly = args.Contains("--latency-only");
var none = CancellationToken.None;

if (args.SkipWhile(a => a != "--doubtful-words").Skip(1).FirstOrDefault() is { } recorded)
{
    await DoubtfulWordsCost(recorded);
    return;
}

Console.WriteLine($"- processors: {Environment.ProcessorCount}; {Environment.OSVersion}; .NET {Environment.Version}");
Console.WriteLine($"- OMP_THREAD_LIMIT={Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") ?? "(unset)"}; load average at start: {LoadAverage()}");
Console.WriteLine($"- Tesseract {TesseractVersion()}, model {new TesseractOptions().DataPath}/eng.traineddata");
Console.WriteLine();

// Model load: a fresh engine each time. The first one in the process also loads libtesseract itself.
var loads = new List<double>();
var probe = new ScreenImage(64, 32, Enumerable.Repeat((byte)255, 64 * 32 * 4).ToArray());
for (var i = 0; i < 6; i++)
{
    using var pool = new TesseractRecognizer(new TesseractOptions { MaxEngines = 1 });
    await pool.RecognizeAsync(probe, OcrRequest.Screen, none);
    loads.Add(pool.ModelLoadTimes[0].TotalMilliseconds);
}
Console.WriteLine("### Model load");
Console.WriteLine();
Console.WriteLine($"First engine in the process (loads libtesseract too): {loads[0]:0} ms; later engines: median {Median(loads.Skip(1)):0} ms " +
    $"(min {loads.Skip(1).Min():0}, max {loads.Skip(1).Max():0}, {loads.Count - 1} loads).");
Console.WriteLine();

using var store = LegacyStore.InMemory();
foreach (var generated in ChartGenerator.Generate(12, 1))
{
    store.AddChart(generated);
}
var chart = PixelFlows.PickChart(store);
await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
var review = Directory.CreateTempSubdirectory("rpa-pixel-bench-review-").FullName;
await using var app = await ChromiumApp.LaunchAsync(new Uri(ehr.BaseAddress, "login"), "Login");
await using var driver = PixelUiDriver.ConnectX11(new PixelDriverOptions
{
    ReviewFolder = review,
    FieldPatterns = new Dictionary<string, string> { ["MRN"] = "[0-9]{6,10}", ["DOB"] = @"\d{2}/\d{2}/\d{4}" },
});
await using var session = await driver.OpenSessionAsync(new UiSessionOptions(), none);
var wait = TimeSpan.FromSeconds(30);

// The screens measured, each with the page address its ground truth comes from.
var id = chart.Patient.Id;
var screens = new List<(string Name, string Path, ScreenImage Image)>();
async Task CaptureAsync(string name, string path) => screens.Add((name, path, Png.Decode(await session.ScreenshotAsync(none))));
UiTarget Text(string text, bool exact = false) => UiTarget.Of(new UiLocator(LocatorKind.Text, text, Exact: exact));

Check(await session.NavigateAsync(app.Address, wait, none), "select the window");
// A window can be mapped and titled before the page is painted: capture once its words are there.
Check(await session.ReadTextAsync(Text("Username:"), wait, none), "wait for the login form");
await CaptureAsync("login", "login");
var flow = Stopwatch.StartNew();
await PixelFlows.LoginAsync(session, app.Address);
await PixelFlows.SearchAsync(session, chart.Patient);
await CaptureAsync("patient list", $"patients?name=&mrn={chart.Patient.Mrn}&dob=");
await PixelFlows.OpenFoundChartAsync(session, chart.Patient);
var loginToChart = flow.Elapsed;
await CaptureAsync("chart: demographics", $"chart/{id}");
foreach (var (tab, key) in new[] { ("Problem List", "problems"), ("MEDICATIONS", "medications"), ("Vitals", "vitals"), ("Lab Results", "labs") })
{
    Check(await session.ClickAsync(Text(tab), wait, none), "tab " + tab);
    await CaptureAsync("chart: " + key, $"chart/{id}?tab={key}");
}
Console.WriteLine($"Driving the window through the pixel driver (log in, search by MRN, open the chart: 3 fills and 3 clicks, each checked): {loginToChart.TotalSeconds:0.0} s.");
Console.WriteLine();

// Capture latency.
var source = driver.Source;
var window = (await source.ListWindowsAsync(none)).Single(w => w.Id == app.WindowId);
var captures = new List<double>();
for (var i = 0; i < 50; i++)
{
    var sw = Stopwatch.StartNew();
    _ = await source.CaptureAsync(window, none);
    captures.Add(sw.Elapsed.TotalMilliseconds);
}
Console.WriteLine("### Capture and OCR latency per window");
Console.WriteLine();
Console.WriteLine($"Window {ChromiumApp.Width}x{ChromiumApp.Height}. Capture (XGetImage of the window's area): median {Median(captures):0.0} ms, p95 {P95(captures):0.0} ms (50 captures).");
Console.WriteLine();

// OCR latency of the driver's page reading (the default request), per captured window.
var ocr = TesseractOcr.Shared();
Console.WriteLine($"OCR of the whole window as the driver reads it ({OcrPreprocessing.Default}, sparse layout), {runs} runs per screen, one at a time:");
Console.WriteLine();
Console.WriteLine("| screen | words | median | p95 |");
Console.WriteLine("|---|---:|---:|---:|");
var all = new List<double>();
foreach (var (name, _, image) in screens)
{
    var times = new List<double>();
    var words = 0;
    for (var i = 0; i < runs; i++)
    {
        var sw = Stopwatch.StartNew();
        words = (await ocr.RecognizeAsync(image, OcrRequest.Screen, none)).Words.Count;
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    all.AddRange(times);
    Console.WriteLine($"| {name} | {words} | {Median(times):0} ms | {P95(times):0} ms |");
}
Console.WriteLine($"| **all** | | **{Median(all):0} ms** | **{P95(all):0} ms** |");
Console.WriteLine();

if (!latencyOnly)
{
    // Accuracy of each preprocessing and layout: words OCR found that the page's own text has (recall), and words it
    // reported that the page does not have (precision), over all screens.
    using var http = await LoggedInClientAsync(ehr.BaseAddress);
    var truth = new List<List<string>>();
    foreach (var (_, path, _) in screens)
    {
        truth.Add(Tokens(PageText(await http.GetStringAsync(path, none))));
    }
    Console.WriteLine("### Preprocessing and layout: word accuracy against the pages' text");
    Console.WriteLine();
    Console.WriteLine($"{screens.Count} screens, {truth.Sum(t => t.Count)} words of page text. Median OCR time per window over 3 runs.");
    Console.WriteLine();
    Console.WriteLine("| preprocessing | layout | recall | precision | median per window |");
    Console.WriteLine("|---|---|---:|---:|---:|");
    OcrPreprocessing[] preprocessings =
    [
        new() { Scale = 1, Grayscale = false },
        new() { Scale = 1 },
        new() { Scale = 2, Filter = ScaleFilter.Nearest },
        new() { Scale = 2 },
        new() { Scale = 2, Binarize = true },
        new() { Scale = 3 },
    ];
    foreach (var prep in preprocessings)
    {
        foreach (var layout in new[] { OcrLayout.Sparse, OcrLayout.Page })
        {
            int found = 0, expected = 0, reported = 0;
            var times = new List<double>();
            for (var s = 0; s < screens.Count; s++)
            {
                OcrResult? result = null;
                for (var i = 0; i < 3; i++)
                {
                    var sw = Stopwatch.StartNew();
                    result = await ocr.RecognizeAsync(screens[s].Image, new OcrRequest { Preprocessing = prep, Layout = layout }, none);
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                var words = Tokens(string.Join(' ', result!.Words.Select(w => w.Text)));
                found += Matched(truth[s], words);
                expected += truth[s].Count;
                reported += words.Count;
            }
            Console.WriteLine($"| {prep} | {layout.ToString().ToLowerInvariant()} | {Percent(found, expected)} | {Percent(found, reported)} | {Median(times):0} ms |");
        }
    }
    Console.WriteLine();
}

// The driver's own reads, confirmation included: banner values and two tables, compared with the store.
Console.WriteLine("### Driver reads (values confirmed by independent readings)");
Console.WriteLine();
Console.WriteLine("| read | time | cells or values | doubtful (held for review) | trusted and wrong |");
Console.WriteLine("|---|---:|---:|---:|---:|");
var p = chart.Patient;
var banner = new Dictionary<string, string>
{
    ["Patient:"] = $"{p.LastName}, {p.FirstName}{(string.IsNullOrEmpty(p.MiddleName) ? "" : " " + p.MiddleName[..1])}".ToUpperInvariant(),
    ["MRN:"] = p.Mrn,
    ["DOB:"] = Shown.Date(p.BirthDate),
};
await session.ShowsTextAsync("MRN", none);
var clock = Stopwatch.StartNew();
int doubtfulValues = 0, wrongValues = 0;
foreach (var (label, value) in banner)
{
    var read = await session.ReadCheckedAsync(UiTarget.Of(new UiLocator(LocatorKind.RightOf, label)), UiValueCheck.None, wait, none);
    doubtfulValues += read.Ok && read.Value!.NeedsReview ? 1 : 0;
    wrongValues += read.Ok && !read.Value!.NeedsReview && read.Value.Text != value ? 1 : 0;
}
Console.WriteLine($"| banner: {banner.Count} values right of their labels (screen already read) | {clock.Elapsed.TotalMilliseconds:0} ms | {banner.Count} | {doubtfulValues} | {wrongValues} |");
await TableAsync("Problem List", "PROBLEM LIST", chart.Problems.Select(x => (IReadOnlyList<string>)[x.Code, x.Description, Shown.Date(x.OnsetDate), x.Status, Shown.Date(x.ResolvedDate)]).ToList());
var vitals = chart.Results.Where(r => r.Section == ResultSection.Vitals).ToList();
var times8 = vitals.Select(r => r.EffectiveAt).Distinct().Order(StringComparer.Ordinal).Take(8).ToList();
await TableAsync("Vitals", "Vital Signs Flowsheet", vitals.Select(r => (r.Code, r.Name, r.Unit)).Distinct()
    .Select(m => (IReadOnlyList<string>)[m.Name, m.Code, m.Unit ?? "", .. times8.Select(t =>
        vitals.FirstOrDefault(r => r.EffectiveAt == t && r.Code == m.Code && r.Name == m.Name && r.Unit == m.Unit)?.Value ?? "")])
    .ToList());
Console.WriteLine();
Console.WriteLine($"Load average at the end: {LoadAverage()}.");
Directory.Delete(review, recursive: true);
return;

async Task TableAsync(string tab, string heading, List<IReadOnlyList<string>> expected)
{
    Check(await session.ClickAsync(Text(tab), wait, none), "tab " + tab);
    var sw = Stopwatch.StartNew();
    var read = await session.ReadCheckedTableAsync(UiTarget.Of(new UiLocator(LocatorKind.NearHeading, heading)), wait, none);
    var elapsed = sw.Elapsed;
    Check(read, "read " + heading);
    var (table, doubtful) = read.Value!;
    var cells = expected.Sum(r => r.Count);
    var wrong = 0;
    for (var r = 0; r < expected.Count; r++)
    {
        for (var c = 0; c < expected[r].Count; c++)
        {
            var trusted = !doubtful.Any(d => d.Row == r && d.Column == c);
            var value = r < table.Rows.Count && c < table.Rows[r].Count ? table.Rows[r][c] : null;
            wrong += trusted && value != expected[r][c] ? 1 : 0;
        }
    }
    Console.WriteLine($"| {heading}: table of {expected.Count} rows (page read, every cell confirmed) | {elapsed.TotalMilliseconds:0} ms | {cells} | {doubtful.Count} | {wrong} |");
}

static void Check<T>(UiResult<T> result, string what)
{
    if (!result.Ok)
    {
        throw new InvalidOperationException($"{what}: {result.Failure} {result.Reason}");
    }
}

static async Task<HttpClient> LoggedInClientAsync(Uri baseAddress)
{
    var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
    using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "clinician", ["password"] = "Passw0rd!" });
    (await http.PostAsync("login", form)).EnsureSuccessStatusCode();
    return http;
}

// The text a page shows: no head, button captions and typed values included, tags dropped, entities decoded.
static string PageText(string html)
{
    html = Regex.Replace(html, "<head.*?</head>", " ", RegexOptions.Singleline | RegexOptions.IgnoreCase);
    html = Regex.Replace(html, "<input[^>]*type=\"(?:submit|button|text)\"[^>]*value=\"([^\"]*)\"[^>]*>", " $1 ", RegexOptions.IgnoreCase);
    html = Regex.Replace(html, "<[^>]+>", " ");
    return WebUtility.HtmlDecode(html);
}

static List<string> Tokens(string text) =>
    text.Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u00A0', ' ')
        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        .Select(t => t.Trim(',', '.', ':', ';', '(', ')', '|', '"'))
        .Where(t => t.Length > 0)
        .ToList();

static int Matched(List<string> truth, List<string> words)
{
    var left = truth.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    var matched = 0;
    foreach (var w in words)
    {
        if (left.TryGetValue(w, out var n) && n > 0)
        {
            left[w] = n - 1;
            matched++;
        }
    }
    return matched;
}

static string Percent(int part, int whole) => whole == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.0} %");

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static double P95(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? 0 : sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string TesseractVersion() => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(RpaWorker.Vision.Ocr.Tesseract.TesseractApi.TessVersion()) ?? "?";

// The page reading of each recorded screen, then the doubtful words read again (PixelUiSession.ReadPageAsync's second
// pass): how many words, how many replaced, and what it adds to the page reading, median of the runs.
async Task DoubtfulWordsCost(string folder)
{
    var ocr = TesseractOcr.Shared();
    Console.WriteLine($"- processors: {Environment.ProcessorCount}; OMP_THREAD_LIMIT={Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") ?? "(unset)"}; load average at start: {LoadAverage()}; {runs} runs a screen");
    Console.WriteLine();
    Console.WriteLine("| screen | words | doubtful, read again | replaced | page reading (median) | reading again (median) | ratio |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    var (pages, rereads) = (new List<double>(), new List<double>());
    foreach (var file in Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal))
    {
        var image = Png.Decode(File.ReadAllBytes(file));
        var (page, again) = (new List<double>(), new List<double>());
        var (found, replaced, words) = (0, 0, 0);
        for (var run = 0; run < runs; run++)
        {
            var read = await ocr.RecognizeAsync(image, OcrRequest.Screen, none);
            page.Add(read.Elapsed.TotalMilliseconds);
            var watch = Stopwatch.StartNew();
            var doubtful = RpaWorker.Drivers.Desktop.Pixel.Reading.DoubtfulWords.Find(read.Words, image.Bounds);
            var result = read.Words;
            foreach (var (word, crop) in doubtful)
            {
                var reread = await ocr.RecognizeAsync(image, OcrRequest.Screen with { Region = crop, Layout = OcrLayout.Line }, none);
                result = RpaWorker.Drivers.Desktop.Pixel.Reading.DoubtfulWords.Replace(result, word, crop, reread.Words);
            }
            again.Add(watch.Elapsed.TotalMilliseconds);
            (found, words) = (doubtful.Count, read.Words.Count);
            replaced = doubtful.Count(d => !result.Contains(d.Word));
        }
        pages.AddRange(page);
        rereads.AddRange(again);
        Console.WriteLine($"| {Path.GetFileNameWithoutExtension(file)} | {words} | {found} | {replaced} | {Median(page):0} ms | {Median(again):0} ms | {Median(again) / Median(page):0.00} |");
    }
    Console.WriteLine($"| **all** | | | | **{Median(pages):0} ms** | **{Median(rereads):0} ms** | **{Median(rereads) / Median(pages):0.00}** |");
}
