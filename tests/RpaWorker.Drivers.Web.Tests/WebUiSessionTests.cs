using RpaWorker.Drivers.Web.Tests.Support;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web.Tests;

public sealed class WebUiSessionTests(DriverFixture fixture) : IClassFixture<DriverFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<IUiSession> OpenAsync(string path, bool trace = false)
    {
        var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions { Trace = trace }, None);
        var opened = await session.NavigateAsync(fixture.Pages.Url(path), Wait, None);
        Assert.True(opened.Ok, opened.Reason);
        return session;
    }

    private static UiTarget Target(LocatorKind kind, string value, string description, int? index = null, string? frame = null, bool exact = false) =>
        new([new UiLocator(kind, value, Exact: exact, Index: index, Frame: frame)], description);

    private static UiTarget Role(string role, string name, string description, bool exact = false) =>
        new([new UiLocator(LocatorKind.Role, role, Name: name, Exact: exact)], description);

    private static string Ok<T>(UiResult<T> result) => result.Ok ? "" : $"{result.Failure}: {result.Reason}";

    private static void AssertFailure<T>(UiResult<T> result, UiFailure expected, string description)
    {
        Assert.Equal(expected, result.Failure);
        Assert.Contains(description, result.Reason);
        Assert.DoesNotContain(LegacyPages.Canary, result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("DOB:")]
    [InlineData("DOB")]
    public async Task ReadTextAsync_RightOfLabelCell_ReadsTheNextCell(string label)
    {
        await using var session = await OpenAsync("demographics");

        var dob = await session.ReadTextAsync(Target(LocatorKind.RightOf, label, "banner.dob"), Wait, None);

        Assert.True(dob.Ok, Ok(dob));
        Assert.Equal("03/14/1987", dob.Value);
        Assert.Equal(0, dob.Locator);
    }

    [Fact]
    public async Task ReadTextAsync_RightOfLabelOutsideTable_ReadsTheNearestElementOnTheLine()
    {
        await using var session = await OpenAsync("demographics");

        var language = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Language:", "demo.language"), Wait, None);

        Assert.Equal("English", language.Value);
    }

    [Fact]
    public async Task ReadTextAsync_BelowHeaderCell_ReadsTheSameColumnOfTheNextRow()
    {
        await using var session = await OpenAsync("demographics");

        var phone = await session.ReadTextAsync(Target(LocatorKind.Below, "Home Ph", "demo.phone"), Wait, None);

        Assert.Equal("555-0100", phone.Value);
    }

    [Fact]
    public async Task FillAsync_LabelCellBeforeTheInputCell_FillsThatInput()
    {
        await using var session = await OpenAsync("form");
        var user = Target(LocatorKind.Label, "Username:", "login.user");

        var filled = await session.FillAsync(user, "clinician", Wait, None);
        var password = await session.FillAsync(Target(LocatorKind.Label, "Password", "login.password"), "secret", Wait, None);

        Assert.True(filled.Ok, Ok(filled));
        Assert.True(password.Ok, Ok(password));
        Assert.Equal("clinician", (await session.ReadTextAsync(user, Wait, None)).Value);
    }

    [Fact]
    public async Task SelectAsync_LabelledList_ChoosesTheOptionByItsText()
    {
        await using var session = await OpenAsync("form");
        var clinic = Target(LocatorKind.Label, "Clinic", "login.clinic");

        var selected = await session.SelectAsync(clinic, "south clinic", Wait, None);

        Assert.True(selected.Ok, Ok(selected));
        Assert.Equal("South Clinic", (await session.ReadTextAsync(clinic, Wait, None)).Value);
    }

    [Fact]
    public async Task ClickAsync_RoleButtonByName_SubmitsTheForm()
    {
        await using var session = await OpenAsync("form");
        await session.FillAsync(Target(LocatorKind.Label, "Username", "login.user"), "clinician", Wait, None);

        var clicked = await session.ClickAsync(Role("button", "Login", "login.submit"), Wait, None);

        Assert.True(clicked.Ok, Ok(clicked));
        Assert.Contains("u=clinician", session.Location);
    }

    [Fact]
    public async Task ReadTableAsync_NearHeading_ReadsHeadersAndRowsButNotThePagerRow()
    {
        await using var session = await OpenAsync("problems");

        var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "PROBLEM LIST", "problems"), Wait, None);

        Assert.True(table.Ok, Ok(table));
        Assert.Equal(["Code", "Description", "Onset"], table.Value!.Headers);
        Assert.Equal(3, table.Value.Rows.Count);
        Assert.Equal(["44054006", "Diabetes mellitus type 2", "03/2011"], table.Value.Rows[0]);
        Assert.Equal("", table.Value.Rows[2][2]);
    }

    [Fact]
    public async Task ReadTableAsync_HeadingInAnotherCaseThanATab_ReadsTheTableUnderTheHeading()
    {
        await using var session = await OpenAsync("problems");

        var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "Problem List", "problems"), Wait, None);

        Assert.True(table.Ok, Ok(table));
        Assert.Equal("Code", table.Value!.Headers[0]);
    }

    [Fact]
    public async Task ReadTableAsync_HeadingFollowedByAList_ReadsOneRowPerItem()
    {
        await using var session = await OpenAsync("problems");

        var team = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "Care Team", "care_team"), Wait, None);

        Assert.True(team.Ok, Ok(team));
        Assert.Empty(team.Value!.Headers);
        Assert.Equal([["Dr. Adams (PCP)"], ["Dr. Baker"]], team.Value.Rows);
    }

    [Fact]
    public async Task PressAsync_EnterInAField_SubmitsTheForm()
    {
        await using var session = await OpenAsync("form");
        var user = Target(LocatorKind.Label, "Username", "login.user");
        await session.FillAsync(user, "clinician", Wait, None);

        var pressed = await session.PressAsync("Enter", user, Wait, None);

        Assert.True(pressed.Ok, Ok(pressed));
        Assert.Contains("u=clinician", session.Location);
    }

    [Fact]
    public async Task ReadTextAsync_TargetInsideAnIframe_IsFoundWithOrWithoutTheFrame()
    {
        await using var session = await OpenAsync("frames");

        var inFrame = await session.ReadTextAsync(Target(LocatorKind.Below, "Reaction", "allergy.reaction", frame: "iframe[name=allergyframe]"), Wait, None);
        var anywhere = await session.ReadTableAsync(Target(LocatorKind.Css, "table", "allergies"), Wait, None);

        Assert.Equal("Hives", inFrame.Value);
        Assert.True(anywhere.Ok, Ok(anywhere));
        Assert.Equal(["Penicillin", "Hives"], anywhere.Value!.Rows.Single());
    }

    [Fact]
    public async Task ReadTextAsync_NothingMatches_ReturnsNotFoundNamingTheTargetOnly()
    {
        await using var session = await OpenAsync("demographics");

        var missing = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Date of Death:", "demo.deceased"), Short, None);

        AssertFailure(missing, UiFailure.NotFound, "demo.deceased");
        Assert.Contains("Date of Death:", missing.Reason);
    }

    [Fact]
    public async Task ReadTextAsync_FirstLocatorMisses_ResolvesWithTheFallbackAndSaysWhich()
    {
        await using var session = await OpenAsync("demographics");
        var target = new UiTarget([new UiLocator(LocatorKind.Css, "#dob"), new UiLocator(LocatorKind.RightOf, "DOB:")], "banner.dob");

        var dob = await session.ReadTextAsync(target, Wait, None);

        Assert.Equal("03/14/1987", dob.Value);
        Assert.Equal(1, dob.Locator);
    }

    [Fact]
    public async Task ClickAsync_SeveralLinksMatch_ReturnsAmbiguousUntilAnIndexPicksOne()
    {
        await using var session = await OpenAsync("links");

        var ambiguous = await session.ClickAsync(Target(LocatorKind.Text, "Next", "pager.next"), Wait, None);
        var picked = await session.ClickAsync(Target(LocatorKind.Text, "Next", "pager.next", index: 1), Wait, None);

        AssertFailure(ambiguous, UiFailure.Ambiguous, "pager.next");
        Assert.Contains("3 elements match Text \"Next\"", ambiguous.Reason);
        Assert.True(picked.Ok, Ok(picked));
        Assert.EndsWith("/links?p=2", session.Location);
    }

    [Fact]
    public async Task ClickAsync_ButtonUnderAnOverlay_ReturnsBlockedUntilThePopupCloses()
    {
        await using var session = await OpenAsync("modal");
        var save = Target(LocatorKind.Text, "Save", "note.save", exact: true);

        var blocked = await session.ClickAsync(save, Wait, None);
        var ok = await session.ClickAsync(Role("button", "OK", "popup.ok", exact: true), Wait, None);
        var saved = await session.ClickAsync(save, Wait, None);

        AssertFailure(blocked, UiFailure.Blocked, "note.save");
        Assert.Contains("covered", blocked.Reason);
        Assert.True(ok.Ok, Ok(ok));
        Assert.True(saved.Ok, Ok(saved));
    }

    [Fact]
    public async Task ClickAsync_DisabledButton_ReturnsBlocked()
    {
        await using var session = await OpenAsync("form");

        var blocked = await session.ClickAsync(Target(LocatorKind.Text, "Sign", "note.sign", exact: true), Wait, None);

        AssertFailure(blocked, UiFailure.Blocked, "note.sign");
        Assert.Contains("disabled", blocked.Reason);
    }

    [Fact]
    public async Task FillAsync_ReadOnlyField_ReturnsBlocked()
    {
        await using var session = await OpenAsync("form");

        var blocked = await session.FillAsync(Target(LocatorKind.Label, "Chart #", "chart.number"), "1", Wait, None);

        AssertFailure(blocked, UiFailure.Blocked, "chart.number");
    }

    [Fact]
    public async Task ClickAsync_ButtonOpensAnAlert_HoldsTheDialogUntilAccepted()
    {
        await using var session = await OpenAsync("alert");

        var clicked = await session.ClickAsync(Target(LocatorKind.Text, "Open Chart", "chart.open"), Wait, None);
        var dialog = session.OpenDialog;
        var whileOpen = await session.ReadTextAsync(Target(LocatorKind.Text, "Open Chart", "chart.open"), Wait, None);
        var shows = await session.ShowsTextAsync("UNSIGNED NOTES", None);
        var accepted = await session.AcceptDialogAsync(None);

        Assert.True(clicked.Ok, Ok(clicked));
        Assert.Equal(new UiDialog("alert", "3 unsigned notes"), dialog);
        Assert.Equal(UiFailure.Blocked, whileOpen.Failure);
        Assert.Contains("dialog", whileOpen.Reason);
        Assert.True(shows);
        Assert.True(accepted.Ok, Ok(accepted));
        Assert.Null(session.OpenDialog);
        Assert.Equal("Open Chart", (await session.ReadTextAsync(Target(LocatorKind.Css, "input", "chart.open"), Wait, None)).Value);
    }

    [Fact]
    public async Task NavigateAsync_ServerAnswers500_ReturnsServerError()
    {
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);

        var result = await session.NavigateAsync(fixture.Pages.Url("error"), Wait, None);

        Assert.Equal(UiFailure.ServerError, result.Failure);
        Assert.Contains("500", result.Reason);
    }

    [Fact]
    public async Task ClickAsync_LinkToAFailingPage_ReturnsServerError()
    {
        await using var session = await OpenAsync("links");

        var result = await session.ClickAsync(Role("link", "Broken", "report.open"), Wait, None);

        AssertFailure(result, UiFailure.ServerError, "report.open");
    }

    [Fact]
    public async Task NavigateAsync_NothingListens_ReturnsDisconnected()
    {
        await using var session = await fixture.Driver.OpenSessionAsync(new UiSessionOptions(), None);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await session.NavigateAsync($"http://127.0.0.1:{port}/login", Wait, None);

        Assert.Equal(UiFailure.Disconnected, result.Failure);
    }

    [Fact]
    public async Task ReadTextAsync_OcrLocator_ReturnsUnsupported()
    {
        await using var session = await OpenAsync("demographics");

        var result = await session.ReadTextAsync(Target(LocatorKind.OcrText, "DOB", "banner.dob"), Wait, None);

        AssertFailure(result, UiFailure.Unsupported, "banner.dob");
    }

    [Fact]
    public async Task IsVisibleAsync_PopupOpenThenClosed_FollowsTheScreen()
    {
        await using var session = await OpenAsync("modal");
        var popup = Target(LocatorKind.Text, "Reminder", "popup");
        var ok = Role("button", "OK", "popup.ok");

        var before = await session.IsVisibleAsync(popup, None);
        var closed = await session.ClickAsync(ok, Wait, None);
        var after = await session.IsVisibleAsync(popup, None);

        Assert.True(before);
        Assert.True(closed.Ok, Ok(closed));
        Assert.False(after);
        Assert.False(await session.ShowsTextAsync("Reminder", None));
        Assert.True(await session.ShowsTextAsync("note:", None));
    }

    [Fact]
    public async Task ShowsTextAsync_TextInsideAnIframe_IsShown()
    {
        await using var session = await OpenAsync("frames");
        await session.ReadTextAsync(Target(LocatorKind.Text, "Penicillin", "allergy"), Wait, None);

        Assert.True(await session.ShowsTextAsync("penicillin", None));
        Assert.False(await session.ShowsTextAsync("Sulfa", None));
    }

    [Fact]
    public async Task SaveTraceAsync_TwoParts_EachFileHoldsOnlyItsOwnPages()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rpa-web-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var session = await OpenAsync("demographics", trace: true);
            await session.ReadTextAsync(Target(LocatorKind.RightOf, "DOB:", "banner.dob"), Wait, None);
            var first = Path.Combine(folder, "failed", "item-00001.zip");
            await session.SaveTraceAsync(first, None);

            Assert.True((await session.NavigateAsync(fixture.Pages.Url("frames"), Wait, None)).Ok);
            await session.SaveTraceAsync(null, None);
            Assert.True((await session.NavigateAsync(fixture.Pages.Url("problems"), Wait, None)).Ok);
            var third = Path.Combine(folder, "failed", "item-00003.zip");
            await session.SaveTraceAsync(third, None);
            var png = await session.ScreenshotAsync(None);

            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(["item-00001.zip", "item-00003.zip"], Directory.GetFiles(Path.Combine(folder, "failed")).Select(Path.GetFileName).Order());
            var firstText = TraceText(first);
            var thirdText = TraceText(third);
            Assert.Contains("/demographics", firstText);
            Assert.DoesNotContain("/frames", firstText);
            Assert.DoesNotContain("/problems", firstText);
            // A part starts from the screen the previous part left (here /frames), never from further back.
            Assert.Contains("/problems", thirdText);
            Assert.DoesNotContain("/demographics", thirdText);
            Assert.DoesNotContain("555-0100", thirdText, StringComparison.Ordinal);
            Assert.Contains("555-0100", firstText, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string TraceText(string zipPath)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(zipPath);
        var text = new System.Text.StringBuilder();
        foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".trace", StringComparison.Ordinal) || e.Name.EndsWith(".network", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd());
        }
        return text.ToString();
    }
}
