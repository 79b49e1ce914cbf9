using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Tests.Running;

public sealed class PlaybookRunnerTests
{
    // A small chart playbook against the fake screen: log in, read a list of patients, then each chart.
    private const string Playbook = """
        playbook: test/chart
        version: 1.0.0
        driver: web
        guards:
          patient_banner: { target: { css: "#banner" }, must_contain: "{{ p.mrn }}" }
        on:
          popup:
            when: { visible: { css: "#popup" } }
            do: [ { click: { css: "#popup-ok" } } ]
          session_expired:
            when: { text: "session has expired" }
            do: [ { click: { css: "#relogin" } } ]
        steps:
          - goto: http://ehr.test/login
          - fill: { target: { css: "#user" }, value: "{{ secrets.username }}" }
          - click: { css: "#login" }
          - extract_table:
              into: patients
              target: { css: "#list" }
              columns: { MRN: mrn, Name: name }
          - for_each:
              in: patients
              as: p
              work_item: true
              do:
                - click: { css: "#open-{{ p.mrn }}" }
                - extract:
                    into: patient
                    fields:
                      name: { target: { css: "#name" }, parse: name.last_comma_first }
                      dob: { target: { css: "#dob" }, parse: { date: "MM/dd/yyyy" } }
        emit:
          - resource: Patient
            key: "{{ p.mrn }}"
            map:
              identifier[0].value: "{{ p.mrn }}"
              name[0].family: "{{ patient.name.family }}"
              birthDate: "{{ patient.dob }}"
        """;

    private static PlaybookRunner CreateSut(string yaml = Playbook)
    {
        var loaded = PlaybookLoader.LoadText("test.yaml", yaml);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return PlaybookRunner.Create(loaded.Playbook!);
    }

    private static RunOptions Options => new()
    {
        Secrets = new Dictionary<string, string> { ["username"] = "clinician" },
        DefaultBackoff = TimeSpan.FromMilliseconds(1),
        DefaultTimeout = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(5),
    };

    private static FakeSession Screen(params (string Mrn, string Name, string Dob)[] patients)
    {
        var s = new FakeSession();
        s.Tables["#list"] = [new UiTable(["MRN", "Name"], patients.Select(p => (IReadOnlyList<string>)[p.Mrn, p.Name]).ToList())];
        foreach (var p in patients)
        {
            s.OnClick["#open-" + p.Mrn] = () =>
            {
                s.Texts["#banner"] = $"{p.Name} MRN: {p.Mrn}";
                s.Texts["#name"] = p.Name;
                s.Texts["#dob"] = p.Dob;
            };
        }
        return s;
    }

    [Fact]
    public async Task RunAsync_ListOfPatients_DraftsEachPatientFromWhatItsChartShowed()
    {
        var screen = Screen(("1001", "DOE, JOHN A", "03/14/1987"), ("1002", "O'BRIEN, MÁIRE", "12/01/1950"));

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.Equal(2, result.Succeeded);
        var drafts = result.Items.Select(i => Assert.Single(i.Drafts)).ToList();
        Assert.Equal(["1001", "1002"], drafts.Select(d => d.Key));
        Assert.Contains(new KeyValuePair<string, string>("name[0].family", "O'BRIEN"), drafts[1].Assignments);
        Assert.Contains(new KeyValuePair<string, string>("birthDate", "1950-12-01"), drafts[1].Assignments);
        Assert.Equal("clinician", screen.Filled["#user"]);
    }

    [Fact]
    public async Task RunAsync_OnePatientFails_RecordsWhyAndGoesOnWithTheNext()
    {
        var screen = Screen(("1001", "DOE, JOHN", "03/14/1987"), ("1002", "ROE, RICHARD", "01/02/1960"), ("1003", "POE, EDGAR", "01/19/1949"));
        var open = screen.OnClick["#open-1002"];
        screen.OnClick["#open-1002"] = () =>
        {
            open();
            screen.Texts.Remove("#name");
        };

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        Assert.Equal(2, result.Succeeded);
        var failed = Assert.Single(result.Items, i => i.Status == WorkItemStatus.Failed);
        Assert.Equal(1, failed.Index);
        Assert.Empty(failed.Drafts);
        Assert.Contains("#name", failed.Failure!.Reason);
        Assert.NotNull(failed.Failure.Location);
    }

    [Fact]
    public async Task RunAsync_PopupCoversTheChart_HandlerDismissesItAndTheStepGoesOn()
    {
        var screen = Screen(("1001", "DOE, JOHN", "03/14/1987"));
        var open = screen.OnClick["#open-1001"];
        screen.OnClick["#open-1001"] = () =>
        {
            open();
            screen.Visible.Add("#popup");
        };
        screen.OnClick["#popup-ok"] = () => screen.Visible.Remove("#popup");
        screen.Obstacle = key => screen.Visible.Contains("#popup") && key != "#popup-ok" ? UiFailure.Blocked : null;

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Equal(1, item.HandlerRuns["popup"]);
        Assert.True(screen.Actions.IndexOf("click #popup-ok") > screen.Actions.IndexOf("click #open-1001"));
    }

    [Fact]
    public async Task RunAsync_SessionExpiresMidChart_LogsInAgainAndFinishesThatPatient()
    {
        var screen = Screen(("1001", "DOE, JOHN", "03/14/1987"));
        // The session expires half-way through reading the chart: after the name, before the birth date.
        screen.OnRead["#name"] = () => screen.ScreenText = "Your session has expired. Please log in again.";
        screen.Obstacle = key => screen.ScreenText.Contains("expired", StringComparison.Ordinal) && key != "#relogin" ? UiFailure.NotFound : null;
        screen.OnClick["#relogin"] = () => screen.ScreenText = "";

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Equal(1, item.HandlerRuns["session_expired"]);
        Assert.Contains(new KeyValuePair<string, string>("birthDate", "1987-03-14"), Assert.Single(item.Drafts).Assignments);
    }

    [Fact]
    public async Task RunAsync_ServerErrorOnce_RetriesTheStep()
    {
        var screen = Screen(("1001", "DOE, JOHN", "03/14/1987"));
        screen.Failures["#login"] = new([UiFailure.ServerError]);

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        Assert.Equal(1, result.Succeeded);
        Assert.Contains("click #login failed ServerError", screen.Actions);
    }

    [Fact]
    public async Task RunAsync_BannerShowsAnotherPatient_FailsThatPatientAndDraftsNothing()
    {
        var screen = Screen(("1001", "DOE, JOHN", "03/14/1987"));
        var open = screen.OnClick["#open-1001"];
        screen.OnClick["#open-1001"] = () =>
        {
            open();
            screen.Texts["#banner"] = "ROE, RICHARD MRN: 2002";
        };

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Empty(item.Drafts);
        Assert.Contains("wrong-patient guard", item.Failure!.Reason);
        Assert.DoesNotContain("ROE", item.Failure.Reason);
    }

    [Fact]
    public async Task RunAsync_ImpossibleBirthDate_DraftCarriesTheProblemNotAGuess()
    {
        var screen = Screen(("1001", "DOE, JOHN", "02/30/1990"));

        var result = await CreateSut().RunAsync(screen, Options, CancellationToken.None);

        var draft = Assert.Single(Assert.Single(result.Items).Drafts);
        var problem = Assert.Single(draft.Problems);
        Assert.Contains("birthDate", problem);
        Assert.Contains("'dob'", problem);
        Assert.DoesNotContain("02/30/1990", problem);
        Assert.DoesNotContain(draft.Assignments, a => a.Key == "birthDate");
    }

    [Theory]
    [InlineData(true, "Jo")]
    [InlineData(false, "none")]
    public async Task RunAsync_OptionalFieldSlowOnTheShortLook_IsReadWhenItIsThereAndAbsentWhenNot(bool there, string expected)
    {
        const string yaml = """
            playbook: test/optional
            version: 1.0.0
            driver: web
            steps:
              - extract:
                  into: patient
                  fields:
                    name: { target: { css: "#name" } }
                    nickname: { target: { css: "#nick" }, required: false }
            emit:
              - resource: Patient
                key: "1"
                map:
                  name[0].given[0]: "{{ patient.nickname | default: 'none' }}"
            """;
        var screen = new FakeSession();
        screen.Texts["#name"] = "DOE, JOHN";
        // A busy machine: the short look at the optional field runs out before the read finishes.
        screen.ReadFailures["#nick"] = new([UiFailure.Timeout]);
        if (there)
        {
            screen.Texts["#nick"] = "Jo";
            screen.Visible.Add("#nick");
        }

        var result = await CreateSut(yaml).RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.True(item.Status == WorkItemStatus.Succeeded, item.Failure?.ToString());
        Assert.Equal(expected, Assert.Single(item.Drafts).Assignments.Single(a => a.Key == "name[0].given[0]").Value);
    }

    [Fact]
    public async Task RunAsync_ClickOnAControlShowingSign_IsRefusedInReadOnlyMode()
    {
        const string yaml = """
            playbook: test/sign
            version: 1.0.0
            driver: web
            steps:
              - click: { css: "#btn3" }
            """;
        var screen = new FakeSession();
        screen.Texts["#btn3"] = "Sign Note";

        var result = await CreateSut(yaml).RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("read-only guard", item.Failure!.Reason);
        Assert.DoesNotContain(screen.Actions, a => a.StartsWith("click", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PagedTable_ReadsEveryPage()
    {
        const string yaml = """
            playbook: test/pages
            version: 1.0.0
            driver: web
            steps:
              - extract_table:
                  into: problems
                  target: { css: "#problems" }
                  columns: { Code: code, Onset: { field: onset, parse: { date: ["MM/dd/yyyy", "MM/yyyy", "yyyy"] } } }
                  paginate: { next: { css: "#next" } }
            emit:
              - resource: Condition
                for_each: problems
                key: "{{ row.code }}"
                map:
                  code.coding[0].code: "{{ row.code }}"
                  onsetDateTime: "{{ row.onset }}"
            """;
        var screen = new FakeSession();
        screen.Tables["#problems"] =
        [
            new UiTable(["Code", "Onset"], [["1", "03/14/1987"], ["2", "1987"]]),
            new UiTable(["Code", "Onset"], [["3", "03/1987"], ["No more", ""]]),
        ];
        screen.Visible.Add("#next");
        screen.OnClick["#next"] = () =>
        {
            screen.NextPage("#problems");
            screen.Visible.Remove("#next");
        };

        var result = await CreateSut(yaml).RunAsync(screen, Options, CancellationToken.None);

        var drafts = Assert.Single(result.Items).Drafts;
        Assert.Equal(["1", "2", "3", "No more"], drafts.Select(d => d.Key));
        Assert.Equal(["1987-03-14", "1987", "1987-03", ""], drafts.Select(d => d.Assignments.Single(a => a.Key == "onsetDateTime").Value));
    }

    [Fact]
    public async Task RunAsync_LowConfidenceCellOfAKnownValue_IsUsedOnlyWhenItsReadingsAgreeOnAKnownValue()
    {
        const string yaml = """
            playbook: test/units
            version: 1.0.0
            driver: web
            steps:
              - extract_table:
                  into: labs
                  target: { near_heading: "Lab results" }
                  columns: { Code: code, Units: { field: unit, known_values: ucum }, Flag: { field: flag, known_values: [H, L] } }
            emit:
              - resource: Observation
                for_each: labs
                key: "{{ row.code }}"
                map:
                  code.coding[0].code: "{{ row.code }}"
                  valueQuantity.unit: "{{ row.unit }}"
                  interpretation[0].text: "{{ row.flag }}"
            """;
        var screen = new FakeSession();
        screen.Tables["Lab results"] =
        [
            new UiTable(["Code", "Units", "Flag"], [["2345-7", "mg/dL", "H"], ["2160-0", "mg/db", "L"], ["718-7", "g/dL", "X"], ["6690-2", "10*3/uL", ""]]),
        ];
        screen.Doubtful["Lab results"] =
        [
            // Readings agree, confidence low: used when the text is a known value ("mg/dL", "H", "L")...
            new UiDoubtfulCell(0, 1, "row 1, column 2: OCR confidence 0.55 is below 0.75", null) { ReadingsAgree = true },
            new UiDoubtfulCell(0, 2, "row 1, column 3: OCR confidence 0.60 is below 0.75", null) { ReadingsAgree = true },
            new UiDoubtfulCell(1, 2, "row 2, column 3: OCR confidence 0.60 is below 0.75", null) { ReadingsAgree = true },
            // ...held when it is not one ("mg/db", "X")...
            new UiDoubtfulCell(1, 1, "row 2, column 2: OCR confidence 0.14 is below 0.75", null) { ReadingsAgree = true },
            new UiDoubtfulCell(2, 2, "row 3, column 3: OCR confidence 0.50 is below 0.75", null) { ReadingsAgree = true },
            // ...and held when the readings disagree, known value or not.
            new UiDoubtfulCell(3, 1, "row 4, column 2: OCR readings of it disagree", null),
        ];

        var result = await CreateSut(yaml).RunAsync(screen, Options, CancellationToken.None);

        var drafts = Assert.Single(result.Items).Drafts.ToDictionary(d => d.Key);
        Assert.Empty(drafts["2345-7"].Problems);
        Assert.Equal("mg/dL", drafts["2345-7"].Assignments.Single(a => a.Key == "valueQuantity.unit").Value);
        Assert.Equal("H", drafts["2345-7"].Assignments.Single(a => a.Key == "interpretation[0].text").Value);
        Assert.Contains(drafts["2160-0"].Problems, p => p.Contains("column 'Units'", StringComparison.Ordinal) && p.Contains("held for review", StringComparison.Ordinal));
        Assert.DoesNotContain(drafts["2160-0"].Problems, p => p.Contains("column 'Flag'", StringComparison.Ordinal));
        Assert.Contains(drafts["718-7"].Problems, p => p.Contains("column 'Flag'", StringComparison.Ordinal) && p.Contains("held for review", StringComparison.Ordinal));
        Assert.Contains(drafts["6690-2"].Problems, p => p.Contains("column 'Units'", StringComparison.Ordinal) && p.Contains("disagree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_FlowsheetWhoseDateHeaderIsDoubted_HoldsThatColumnsValuesAndUsesTheOthers()
    {
        const string yaml = """
            playbook: test/flowsheet
            version: 1.0.0
            driver: web
            steps:
              - extract_table:
                  into: vitals
                  target: { near_heading: "Vitals" }
                  transposed: true
                  columns: { Measure: name, "*": { field: effective, parse: { date: ["MM/dd/yyyy"] } } }
            emit:
              - resource: Observation
                for_each: vitals
                key: "{{ row.name }}-{{ row.value }}"
                map:
                  code.text: "{{ row.name }}"
                  effectiveDateTime: "{{ row.effective }}"
                  valueString: "{{ row.value }}"
            """;
        var screen = new FakeSession();
        screen.Tables["Vitals"] = [new UiTable(["Measure", "03/14/2024", "08/14/2024"], [["Pulse", "71", "88"]])];
        // The second date of service is a header the OCR could not confirm: a date read wrong would date both readings wrong.
        screen.Doubtful["Vitals"] = [new UiDoubtfulCell(-1, 2, "header, column 3: OCR readings of it disagree", null)];

        var result = await CreateSut(yaml).RunAsync(screen, Options, CancellationToken.None);

        var drafts = Assert.Single(result.Items).Drafts.ToDictionary(d => d.Key);
        Assert.Empty(drafts["Pulse-71"].Problems);
        Assert.Equal("2024-03-14", drafts["Pulse-71"].Assignments.Single(a => a.Key == "effectiveDateTime").Value);
        Assert.Contains(drafts["Pulse-88"].Problems, p => p.Contains("a column header of 'vitals' is held for review", StringComparison.Ordinal));
    }

    private const string PagedProblems = """
        playbook: test/pages
        version: 1.0.0
        driver: web
        steps:
          - extract_table:
              into: problems
              target: { css: "#problems" }
              columns: { Code: code }
              paginate: { next: { css: "#next" } }
        emit:
          - resource: Condition
            for_each: problems
            key: "{{ row.code }}"
            map:
              code.coding[0].code: "{{ row.code }}"
        """;

    /// <summary>Three pages of problems, 1-2, 3-4 and 5; "next" turns the page and is gone on the last one.</summary>
    private static FakeSession ThreePagesOfProblems()
    {
        var screen = new FakeSession();
        screen.Tables["#problems"] =
        [
            new UiTable(["Code"], [["1"], ["2"]]),
            new UiTable(["Code"], [["3"], ["4"]]),
            new UiTable(["Code"], [["5"]]),
        ];
        screen.Visible.Add("#next");
        var page = 1;
        screen.OnClick["#next"] = () =>
        {
            screen.NextPage("#problems");
            if (++page == 3)
            {
                screen.Visible.Remove("#next");
            }
        };
        return screen;
    }

    [Fact]
    public async Task RunAsync_PagedTableNextTimesOutButThePageTurned_ReadsEveryPageOnce()
    {
        var screen = ThreePagesOfProblems();
        // The click on "next" answers with a timeout, but the slow page did load: clicking again would skip a page,
        // and starting the list again from the page now shown would lose the first one.
        screen.Failures["#next"] = new Queue<UiFailure>([UiFailure.Timeout]);
        screen.ActsDespiteFailure.Add("#next");

        var result = await CreateSut(PagedProblems).RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Equal(["1", "2", "3", "4", "5"], item.Drafts.Select(d => d.Key));
        Assert.Equal(2, screen.Actions.Count(a => a.StartsWith("click #next", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_PagedTableNextTimesOutAndThePageDidNotTurn_ClicksAgainAndReadsEveryPage()
    {
        var screen = ThreePagesOfProblems();
        screen.Failures["#next"] = new Queue<UiFailure>([UiFailure.Timeout]);

        var result = await CreateSut(PagedProblems).RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Equal(["1", "2", "3", "4", "5"], item.Drafts.Select(d => d.Key));
        Assert.Equal(["click #next failed Timeout", "click #next", "click #next"], screen.Actions.Where(a => a.StartsWith("click", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_PagedTableSecondPageKeepsFailing_FailsThePatientRatherThanKeepPartOfTheList()
    {
        var screen = ThreePagesOfProblems();
        screen.ActsDespiteFailure.Add("#next");
        var turned = false;
        var turn = screen.OnClick["#next"];
        screen.OnClick["#next"] = () =>
        {
            turn();
            if (!turned)
            {
                turned = true;
                // Page 2 does not load in time, however often it is read.
                screen.Failures["#problems"] = new Queue<UiFailure>(Enumerable.Repeat(UiFailure.Timeout, 20));
            }
        };

        var result = await CreateSut(PagedProblems).RunAsync(screen, Options, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("page 2", item.Failure!.Reason);
        Assert.Empty(item.Drafts);
        // Not retried from page 2 as if it were the first: one click on "next", never a list that starts at problem 3.
        Assert.Equal(1, screen.Actions.Count(a => a.StartsWith("click #next", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_MissingRequiredInput_SaysWhichInput()
    {
        const string yaml = """
            playbook: test/inputs
            version: 1.0.0
            driver: web
            inputs: { mrn: { pattern: "[0-9]{4}" } }
            steps: [ { goto: "http://ehr.test/{{ inputs.mrn }}" } ]
            """;

        var ex = await Assert.ThrowsAsync<PlaybookRunException>(() => CreateSut(yaml).RunAsync(new FakeSession(), Options, CancellationToken.None));
        Assert.Contains("input 'mrn' is required", ex.Message);

        var bad = Options with { Inputs = new Dictionary<string, string> { ["mrn"] = "12x" } };
        ex = await Assert.ThrowsAsync<PlaybookRunException>(() => CreateSut(yaml).RunAsync(new FakeSession(), bad, CancellationToken.None));
        Assert.Contains("does not match its pattern", ex.Message);
        Assert.DoesNotContain("12x", ex.Message);
    }
}
