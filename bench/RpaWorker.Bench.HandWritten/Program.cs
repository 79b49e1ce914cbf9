using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using RpaWorker.Bench.HandWritten;

// The chart playbook's work (playbooks/mock-ehr/chart.yaml) written by hand against Playwright for this one EHR: the
// yardstick bench/engine-overhead.sh measures `rpa run` against. It reads the same screens and fields and writes them
// as JSON lines, but builds no FHIR: what it prints at the end is for checking that both read the same records.
//   dotnet artifacts/bench-hand-written/RpaWorker.Bench.HandWritten.dll --ehr http://127.0.0.1:5080 [--out DIR]
// Credentials: RPA_SECRET_MOCK_EHR_USERNAME / _PASSWORD (as for the playbook), else the mock's clinician / Passw0rd!.

var started = Stopwatch.GetTimestamp();
string? ehr = null;
var outDir = Path.Combine("out", "bench", "hand-written");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--ehr" when i + 1 < args.Length:
            ehr = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            outDir = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unexpected argument '{args[i]}'; usage: --ehr URL [--out DIR]");
            return 2;
    }
}
if (!Uri.TryCreate(ehr, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
{
    Console.Error.WriteLine("error: --ehr takes the EHR's base address, e.g. --ehr http://127.0.0.1:5080");
    return 2;
}
var user = Environment.GetEnvironmentVariable("RPA_SECRET_MOCK_EHR_USERNAME") is { Length: > 0 } u ? u : "clinician";
var password = Environment.GetEnvironmentVariable("RPA_SECRET_MOCK_EHR_PASSWORD") is { Length: > 0 } p ? p : "Passw0rd!";

Directory.CreateDirectory(outDir);
await using var output = new RecordFiles(outDir);
using var playwright = await Playwright.CreateAsync();
await using var browser = await Chromium.LaunchAsync(playwright);
var context = await Chromium.NewContextAsync(browser);
var page = await context.NewPageAsync();
// The product's defaults: 10 s for a step (rpa run --step-timeout), 30 s for a page to load.
page.SetDefaultTimeout(10_000);
page.SetDefaultNavigationTimeout(30_000);

var screens = new MockEhrScreens(page, baseAddress, user, password);
IReadOnlyList<string> mrns;
try
{
    await screens.SignInAsync();
    mrns = await screens.ListPatientsAsync();
}
catch (Exception e) when (e is PlaywrightException or TimeoutException or ScreenException)
{
    Console.Error.WriteLine($"error: failed while {screens.Doing}: {e.GetType().Name}");
    return 2;
}
var firstChart = Stopwatch.GetTimestamp();
var failed = 0;
for (var i = 0; i < mrns.Count; i++)
{
    try
    {
        await output.WriteAsync(await screens.ReadChartAsync(mrns[i]));
    }
    catch (Exception e) when (e is PlaywrightException or TimeoutException or ScreenException)
    {
        failed++;
        // By position on the list, never by who the patient is; Playwright's own messages quote the page, so they stay out.
        Console.Error.WriteLine($"patient {i + 1}: failed while {screens.Doing} ({(e is ScreenException ? e.Message : e.GetType().Name)})");
    }
}
var charts = Stopwatch.GetElapsedTime(firstChart);

Console.WriteLine($"Patients: {mrns.Count} read, {mrns.Count - failed} succeeded, {failed} failed");
Console.WriteLine($"{"Section",-22}{"records",10}{"fields",10}");
foreach (var (section, records, fields) in output.BySection)
{
    Console.WriteLine($"{section,-22}{records,10}{fields,10}");
}
Console.WriteLine($"{"Resource type",-22}{"records",10}");
foreach (var (type, records) in output.ByResourceType)
{
    Console.WriteLine($"{type,-22}{records,10}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Start-up (browser, sign-in, patient list) {(firstChart - started) / (double)Stopwatch.Frequency:0.0} s; " +
    $"charts {charts.TotalSeconds:0.0} s, {charts.TotalSeconds / Math.Max(1, mrns.Count):0.00} s a chart"));
return failed == 0 ? 0 : 1;
