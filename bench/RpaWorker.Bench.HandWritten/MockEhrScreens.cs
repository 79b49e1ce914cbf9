using System.Globalization;
using System.Text.Json;
using System.Web;
using Microsoft.Playwright;

namespace RpaWorker.Bench.HandWritten;

/// <summary>A chart tab the chart playbook reads.</summary>
/// <param name="Section">The name of the output file and of the line in the counts.</param>
/// <param name="Link">The tab's link text.</param>
/// <param name="Key">The tab's key in the chart's address (<c>?tab=</c>).</param>
/// <param name="Heading">The heading over the tab's grid (the allergy grid is the frame's only one).</param>
/// <param name="ResourceType">What the product builds from each record, for comparing counts.</param>
internal sealed record Tab(string Section, string Link, string Key, string Heading, string ResourceType);

/// <summary>What was read from one chart: records by section, in reading order.</summary>
internal sealed record ChartRecords(string Mrn, IReadOnlyList<(string Section, string ResourceType, IReadOnlyList<Dictionary<string, string>> Records)> Sections);

/// <summary>
/// The mock EHR's screens (v1 layout), driven directly with Playwright locators, along the same path as
/// playbooks/mock-ehr/chart.yaml: patient search by MRN, the chart from the result, every tab and every page of it,
/// the popups that opening a chart can show, the banner checked before chart data is kept. Server error pages are
/// reloaded and an expired session is signed in again, as the playbook's handlers do; neither costs anything when
/// the EHR behaves.
/// </summary>
internal sealed class MockEhrScreens
{
    /// <summary>The tabs after the demographics, in the playbook's order; allergies are in a frame.</summary>
    public static readonly IReadOnlyList<Tab> Tabs =
    [
        new("problems", "Problem List", "problems", "PROBLEM LIST", "Condition"),
        new("medications", "MEDICATIONS", "medications", "Medication List", "MedicationRequest"),
        new("allergies", "Allergies", "allergies", "allergies / adverse reactions", "AllergyIntolerance"),
        new("vitals", "Vitals", "vitals", "Vital Signs Flowsheet", "Observation"),
        new("labs", "Lab Results", "labs", "LAB RESULTS", "Observation"),
        new("social", "Social Hx", "social", "Social history", "Observation"),
        new("immunizations", "Immunizations", "immunizations", "Immunization Record", "Immunization"),
        new("visits", "Visits", "encounters", "Visit history", "Encounter"),
        new("other", "Other Results", "other", "OTHER RESULTS", "Observation"),
    ];

    /// <summary>The banner and demographics labels the playbook reads.</summary>
    private static readonly string[] DemographicsLabels =
        ["Patient:", "MRN:", "DOB:", "Sex:", "Address:", "City/State/Zip:", "Phone:", "Marital Status:", "Language:", "Date of Death:"];

    // The flowsheet's label columns: Measure, LOINC, Units; the dates follow.
    private const int FlowsheetLabelColumns = 3;
    private const int SignInAttempts = 3;
    private const int MaxReloads = 10;
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(500);

    private readonly IPage _page;
    private readonly Uri _base;
    private readonly string _user;
    private readonly string _password;
    private int _pageStatus;
    private int _frameStatus;

    public MockEhrScreens(IPage page, Uri baseAddress, string user, string password)
    {
        _page = page;
        _base = baseAddress;
        _user = user;
        _password = password;
        // The status of the last document loaded in the window and in the allergy frame: error pages come as HTTP 500.
        page.Response += (_, response) =>
        {
            if (response.Request.IsNavigationRequest)
            {
                Volatile.Write(ref response.Frame.ParentFrame is null ? ref _pageStatus : ref _frameStatus, response.Status);
            }
        };
    }

    /// <summary>What the program was doing, for a failure message that names no patient.</summary>
    public string Doing { get; private set; } = "starting";

    public async Task SignInAsync()
    {
        Doing = "signing in";
        await _page.GotoAsync(new Uri(_base, "/login").ToString());
        await SubmitLoginFormAsync();
    }

    /// <summary>The MRNs on the patient list: the search form sent empty lists every patient, 20 a page.</summary>
    public async Task<IReadOnlyList<string>> ListPatientsAsync()
    {
        Doing = "reading the patient list";
        var mrnField = _page.Locator("input[name=mrn]");
        await mrnField.FillAsync("");
        await GoAsync(() => mrnField.PressAsync("Enter"), url => Query(url, "mrn") is not null);
        var mrns = new List<string>();
        for (var page = 1; ; page++)
        {
            var grid = await ReadGridAsync(_page.GetByText("patient(s) found"));
            mrns.AddRange(grid.Records().Select(r => r["MRN"]));
            if (!grid.Next)
            {
                return mrns;
            }
            await NextPageAsync(_page, page + 1);
        }
    }

    /// <summary>Opens the chart of the patient with this MRN and reads every tab the playbook reads.</summary>
    public async Task<ChartRecords> ReadChartAsync(string mrn)
    {
        Doing = "searching for the patient";
        await GoAsync(() => _page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Patient Search", Exact = true }).ClickAsync(),
            url => Path(url) == "/patients" && Query(url, "mrn") is null);
        var mrnField = _page.Locator("input[name=mrn]");
        await mrnField.FillAsync(mrn);
        await GoAsync(() => mrnField.PressAsync("Enter"), url => Query(url, "mrn") == mrn);
        Doing = "opening the chart";
        // Exactly one result: a second match makes the click fail (strict locator) rather than open someone else.
        await GoAsync(() => _page.Locator("a[href^='/chart/']").ClickAsync(), url => Path(url).StartsWith("/chart/", StringComparison.Ordinal));
        await ClosePopupsAsync();

        Doing = "reading demographics";
        var demographics = await _page.GetByText("Patient Demographics", new PageGetByTextOptions { Exact = true })
            .EvaluateAsync<JsonElement>(Scripts.LabelledValues, DemographicsLabels);
        // Playwright adds its own bookkeeping ("$id") to objects it returns: keep the labels only.
        var patient = demographics.EnumerateObject().Where(p => DemographicsLabels.Contains(p.Name))
            .ToDictionary(p => p.Name.TrimEnd(':'), p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        CheckBanner(patient.GetValueOrDefault("MRN"), mrn);
        var sections = new List<(string, string, IReadOnlyList<Dictionary<string, string>>)> { ("demographics", "Patient", [patient]) };
        foreach (var tab in Tabs)
        {
            Doing = $"reading {tab.Section}";
            await GoAsync(() => _page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = tab.Link, Exact = true }).ClickAsync(),
                url => Query(url, "tab") == tab.Key);
            var records = tab.Key == "allergies" ? await ReadAllergyFrameAsync(mrn) : await ReadGridPagesAsync(tab, mrn);
            sections.Add((tab.Section, tab.ResourceType, records));
        }
        return new ChartRecords(mrn, sections);
    }

    private async Task<List<Dictionary<string, string>>> ReadGridPagesAsync(Tab tab, string mrn)
    {
        var records = new List<Dictionary<string, string>>();
        for (var page = 1; ; page++)
        {
            var grid = await ReadGridAsync(_page.GetByText(tab.Heading, new PageGetByTextOptions { Exact = true }));
            CheckBanner(grid.Mrn, mrn);
            records.AddRange(tab.Key == "vitals" ? grid.Cells(FlowsheetLabelColumns) : grid.Records());
            if (!grid.Next)
            {
                return records;
            }
            await NextPageAsync(_page, page + 1);
        }
    }

    private async Task<List<Dictionary<string, string>>> ReadAllergyFrameAsync(string mrn)
    {
        CheckBanner(await _page.Locator("td:text-is('MRN:') + td").InnerTextAsync(), mrn);
        var frame = _page.Frame("allergyframe") ?? throw new ScreenException("the allergy tab has no allergy frame");
        await ReloadFrameOnErrorAsync(frame);
        var records = new List<Dictionary<string, string>>();
        for (var page = 1; ; page++)
        {
            var grid = await ReadGridAsync(frame.Locator("table").First);
            records.AddRange(grid.Records());
            if (!grid.Next)
            {
                return records;
            }
            await frame.GetByRole(AriaRole.Link, new FrameGetByRoleOptions { Name = "Next >>" }).ClickAsync();
            await frame.WaitForURLAsync(url => Query(url, "page") == Number(page + 1));
            await ReloadFrameOnErrorAsync(frame);
        }
    }

    private static async Task<Grid> ReadGridAsync(ILocator heading) => Grid.From(await heading.EvaluateAsync<JsonElement>(Scripts.Grid));

    private Task NextPageAsync(IPage page, int number) =>
        GoAsync(() => page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Next >>" }).ClickAsync(),
            url => Query(url, "page") == Number(number));

    /// <summary>Opening a chart may show the unsigned-notes box and, over it, a reminder: the later one is on top.</summary>
    private async Task ClosePopupsAsync()
    {
        var ok = _page.Locator("input[type=button][value=OK]:visible");
        while (await ok.CountAsync() > 0)
        {
            await ok.Last.ClickAsync();
        }
    }

    private static void CheckBanner(string? shown, string mrn)
    {
        if (!string.Equals(shown, mrn, StringComparison.Ordinal))
        {
            throw new ScreenException("the banner does not show the patient being read");
        }
    }

    /// <summary>
    /// Does something that loads a page in the window, waits until the page <paramref name="arrived"/> recognises by its
    /// address has loaded, then reloads a server error page or signs in again after an expired session (which brings
    /// the browser back to the page asked for).
    /// </summary>
    private async Task GoAsync(Func<Task> action, Func<string, bool> arrived)
    {
        await action();
        await _page.WaitForURLAsync(arrived);
        await ReloadWhileErrorAsync(Volatile.Read(ref _pageStatus), () => _page.ReloadAsync(), "the page");
        var login = _page.Locator("a[href^='/login?returnUrl=']");
        if (await login.IsVisibleAsync())
        {
            await login.ClickAsync();
            await _page.WaitForURLAsync(url => Path(url) == "/login");
            await SubmitLoginFormAsync();
            await _page.WaitForURLAsync(arrived);
        }
    }

    private Task ReloadFrameOnErrorAsync(IFrame frame) =>
        ReloadWhileErrorAsync(Volatile.Read(ref _frameStatus), () => frame.GotoAsync(frame.Url), "the allergy frame");

    /// <summary>Loads a server error page again, waiting longer each time, until the EHR answers or has failed too often.</summary>
    private static async Task ReloadWhileErrorAsync(int status, Func<Task<IResponse?>> reload, string what)
    {
        for (var reloads = 1; status >= 500; reloads++)
        {
            if (reloads > MaxReloads)
            {
                throw new ScreenException($"{what} answered HTTP {status} {MaxReloads} times");
            }
            await Task.Delay(Backoff * reloads);
            status = (await reload())?.Status ?? 0;
        }
    }

    /// <summary>Fills and posts the login form; a server error on the post loses what was typed, so the form is loaded again.</summary>
    private async Task SubmitLoginFormAsync()
    {
        var form = _page.Url;
        for (var attempt = 1; ; attempt++)
        {
            await _page.Locator("#username").FillAsync(_user);
            await _page.Locator("input[type=password]").FillAsync(_password);
            await _page.Locator("input[type=submit]").ClickAsync();
            try
            {
                await _page.WaitForURLAsync(url => Path(url) != "/login");
                return;
            }
            catch (TimeoutException) when (attempt < SignInAttempts && Volatile.Read(ref _pageStatus) >= 500)
            {
                await Task.Delay(Backoff * attempt);
                await _page.GotoAsync(form);
            }
        }
    }

    private static string Path(string url) => new Uri(url).AbsolutePath;

    private static string? Query(string url, string key) => HttpUtility.ParseQueryString(new Uri(url).Query)[key];

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The screen is not the one expected: the run stops reading this chart.</summary>
internal sealed class ScreenException(string message) : Exception(message);
