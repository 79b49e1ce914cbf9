using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using MachineExtraction = RpaWorker.Engine.Steps.MachineExtraction;
using Task = System.Threading.Tasks.Task;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RpaWorker.Ai;
using RpaWorker.Engine.Running;
using RpaWorker.Fhir;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Playbooks;

namespace RpaWorker.Engine.Tests.Steps;

/// <summary>
/// <c>llm_extract</c> over a real assistant (answers checked against the text) with a scripted chat client: a clinical
/// note in the mock EHR's words becomes Condition, MedicationStatement and AllergyIntolerance drafts marked as
/// machine-extracted and held for review unless the playbook trusts them.
/// </summary>
public sealed class LlmExtractStepTests : IDisposable
{
    // A canary that stands for PHI in the note: it may reach the provider (AllowPhi) but never a log line or a reason.
    private const string Canary = "Zebulon Quartermaine";

    private const string Note = $"""
        Re: {Canary}
        Subjective: patient seen today for routine follow-up, feels well overall.
        Assessment: hypertension and anxiety disorder, stable.
        Continues Amlodipine 5 MG Oral Tablet, take 1 tablet by mouth once daily.
        Allergy to penicillin noted (reaction: hives).
        Plan: continue current treatment, return in 3 months.
        """;

    private const string Playbook = """
        playbook: test/notes
        version: 1.0.0
        driver: web
        steps:
          - id: read_note
            MODIFIERS
            llm_extract:
              target: { css: "#note" }
              document: note
              PUBLISH
              items:
                conditions:
                  kind: condition
                  fields:
                    name: { required: true, description: "the condition as written" }
                medications:
                  kind: medication
                  fields:
                    name: { required: true }
                    dosage: { description: "how it is taken" }
                allergies:
                  kind: allergy
                  fields:
                    substance: { required: true }
                    reaction: string
        emit:
          - resource: DocumentReference
            key: note-1
            map:
              status: current
              type.coding[0].system: http://loinc.org
              type.coding[0].code: 11506-3
              category[0].coding[0].system: http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category
              category[0].coding[0].code: clinical-note
              subject.reference: Patient/p1
              content[0].attachment.contentType: text/plain
              content[0].attachment.data: "{{ note.base64 }}"
          - resource: Condition
            for_each: conditions
            as: c
            key: "note-1-{{ c.name }}"
            map:
              clinicalStatus.coding[0].system: http://terminology.hl7.org/CodeSystem/condition-clinical
              clinicalStatus.coding[0].code: active
              category[0].coding[0].system: http://terminology.hl7.org/CodeSystem/condition-category
              category[0].coding[0].code: problem-list-item
              code.text: "{{ c.name }}"
              subject.reference: Patient/p1
          - resource: MedicationStatement
            for_each: medications
            as: m
            key: "note-1-{{ m.name }}"
            map:
              status: active
              medicationCodeableConcept.text: "{{ m.name }}"
              dosage[0].text: "{{ m.dosage }}"
              subject.reference: Patient/p1
          - resource: AllergyIntolerance
            for_each: allergies
            as: a
            key: "note-1-{{ a.substance }}"
            map:
              code.text: "{{ a.substance }}"
              reaction[0].manifestation[0].text: "{{ a.reaction }}"
              patient.reference: Patient/p1
        """;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CapturingLogs _logs = new();

    [Fact]
    public async Task RunAsync_MockNote_DraftsMarkedMachineExtractedAndHeldForReview()
    {
        var (result, _) = await RunAsync(CreateChat(), Screen());

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        var byType = item.Drafts.ToLookup(d => d.ResourceType);
        Assert.Equal(["hypertension", "anxiety disorder"], byType["Condition"].Select(d => Value(d, "code.text")));
        Assert.Equal("Amlodipine 5 MG Oral Tablet", Value(Assert.Single(byType["MedicationStatement"]), "medicationCodeableConcept.text"));
        Assert.Equal("take 1 tablet by mouth once daily", Value(Assert.Single(byType["MedicationStatement"]), "dosage[0].text"));
        Assert.Equal("hives", Value(Assert.Single(byType["AllergyIntolerance"]), "reaction[0].manifestation[0].text"));
        foreach (var draft in item.Drafts.Where(d => d.ResourceType != "DocumentReference"))
        {
            Assert.Equal(MachineExtraction.TagCode, Value(draft, "meta.tag[0].code"));
            Assert.Equal(MachineExtraction.ExtensionUrl, Value(draft, "extension[0].url"));
            Assert.Contains(Value(draft, "extension[0].extension[1].valueString"), Note, StringComparison.Ordinal);
            var held = Assert.Single(draft.Problems);
            Assert.StartsWith("held for review: machine-extracted by step 'read_note' with confidence 0.9", held, StringComparison.Ordinal);
        }
        var allergy = Assert.Single(byType["AllergyIntolerance"]);
        Assert.Equal("Allergy to penicillin noted (reaction: hives", Value(allergy, "extension[0].extension[1].valueString"));
        Assert.Equal("0.9", Value(allergy, "extension[0].extension[0].valueDecimal"));
    }

    [Fact]
    public async Task RunAsync_DocumentReference_IsPublishedNormallyWithTheTextRead()
    {
        var (result, _) = await RunAsync(CreateChat(), Screen());

        var document = Assert.Single(Assert.Single(result.Items).Drafts, d => d.ResourceType == "DocumentReference");
        Assert.Empty(document.Problems);
        Assert.DoesNotContain(document.Assignments, a => a.Key.StartsWith("meta.tag", StringComparison.Ordinal));
        var built = FhirResourceBuilder.Build(document.ResourceType, document.Assignments);
        Assert.Empty(built.Errors);
        Assert.Equal(Note, Encoding.UTF8.GetString(((DocumentReference)built.Resource!).Content[0].Attachment.Data!));
        Assert.DoesNotContain(Validator.Validate(built.Resource!).Issues, i => i.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public async Task RunAsync_PublishAboveSet_OnlyRecordsAboveTheThresholdArePublishable()
    {
        var chat = CreateChat().On("condition", Items(("name", "hypertension", "hypertension", 0.95), ("name", "anxiety disorder", "anxiety disorder", 0.8)));

        var (result, _) = await RunAsync(chat, Screen(), publishAbove: 0.9);

        var conditions = Assert.Single(result.Items).Drafts.Where(d => d.ResourceType == "Condition").ToList();
        var trusted = Assert.Single(conditions, d => d.Problems.Count == 0);
        Assert.Equal("hypertension", Value(trusted, "code.text"));
        Assert.Equal("held for review: machine-extracted by step 'read_note' with confidence 0.8, not above publish_above 0.9",
            Assert.Single(Assert.Single(conditions, d => d != trusted).Problems));
        // The published one is still marked, and the mark builds into a resource that passes US Core validation.
        var built = FhirResourceBuilder.Build(trusted.ResourceType, trusted.Assignments);
        Assert.Empty(built.Errors);
        var condition = (Condition)built.Resource!;
        Assert.Contains(condition.Meta!.Tag, t => t.System == MachineExtraction.TagSystem && t.Code == MachineExtraction.TagCode);
        var mark = condition.GetExtension(MachineExtraction.ExtensionUrl);
        Assert.Equal(0.95m, Assert.IsType<FhirDecimal>(mark!.GetExtension("confidence")!.Value).Value);
        Assert.Equal("hypertension", Assert.IsType<FhirString>(mark.GetExtension("sourceText")!.Value).Value);
        Assert.DoesNotContain(Validator.Validate(condition).Issues, i => i.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public async Task RunAsync_ModelInventsAValue_ItIsDropped()
    {
        var chat = CreateChat().On("medication", """
            {"items":[{"name":{"value":"Amlodipine 5 MG Oral Tablet","quote":"Continues Amlodipine 5 MG Oral Tablet","confidence":0.9},
                       "dosage":{"value":null,"quote":null,"confidence":0.9}},
                      {"name":{"value":"Lisinopril 10 MG Oral Tablet","quote":"Lisinopril 10 MG Oral Tablet","confidence":0.9},
                       "dosage":{"value":null,"quote":null,"confidence":0.9}}]}
            """);

        var (result, _) = await RunAsync(chat, Screen());

        var item = Assert.Single(result.Items);
        Assert.True(item.Status == WorkItemStatus.Succeeded, item.Failure?.ToString());
        var meds = item.Drafts.Where(d => d.ResourceType == "MedicationStatement").ToList();
        Assert.Equal(["Amlodipine 5 MG Oral Tablet"], meds.Select(d => Value(d, "medicationCodeableConcept.text")));
    }

    [Fact]
    public async Task RunAsync_NoAssistant_FailsSayingTheLlmTierIsOff()
    {
        var loaded = Load(Yaml(null, optional: false));

        var result = await PlaybookRunner.Create(loaded).RunAsync(Screen(), Options(null), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("the LLM tier is off: no AI provider is configured", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal("read_note", item.Failure.StepId);
    }

    [Fact]
    public async Task RunAsync_NoAssistantAndOptional_SkipsTheStepAndEmitsNothingExtracted()
    {
        var loaded = Load(Yaml(null, optional: true));
        var skipped = new List<(string Id, StepStatus Status)>();

        var result = await PlaybookRunner.Create(loaded).RunAsync(Screen(), Options(null) with { OnStepFinished = (id, s, _) => skipped.Add((id, s)) }, CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Contains(("read_note", StepStatus.Skipped), skipped);
        Assert.DoesNotContain(item.Drafts, d => d.ResourceType is "Condition" or "MedicationStatement" or "AllergyIntolerance");
    }

    [Fact]
    public async Task RunAsync_NoteHoldsPhi_NoLogLineOrReasonHoldsIt()
    {
        // The second question fails its schema, so the run also produces a failure reason to inspect.
        var chat = CreateChat().On("medication", """{"items":"not a list"}""");

        var (result, _) = await RunAsync(chat, Screen());

        Assert.Contains(chat.Requests, r => r.Contains(Canary, StringComparison.Ordinal));
        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("no usable answer for 'medications'", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
        Assert.All(_logs.Lines.Append(item.Failure.ToString()), line =>
        {
            Assert.DoesNotContain(Canary, line, StringComparison.Ordinal);
            Assert.DoesNotContain("penicillin", line, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task RunAsync_ScannedLetterFromTheMockEhr_IsReadByOcrThenExtracted()
    {
        var (png, problem) = await MockLetterAsync();
        var chat = new ExtractionChat().On("condition", request =>
            request.Contains(problem, StringComparison.Ordinal)
                ? Items(("name", problem, $"diagnosis of {problem}", 0.9))(request)
                : """{"items":[]}""");
        var screen = new FakeSession();
        screen.Pictures["#scan"] = png;
        var yaml = """
            playbook: test/letters
            version: 1.0.0
            driver: web
            steps:
              - id: read_letter
                llm_extract:
                  target: { css: "#scan" }
                  read: image
                  document: letter
                  items:
                    conditions: { kind: condition, fields: { name: { required: true } } }
            emit:
              - resource: Condition
                for_each: conditions
                as: c
                key: "{{ c.name }}"
                map:
                  code.text: "{{ c.name }}"
                  subject.reference: Patient/p1
            """;

        var result = await PlaybookRunner.Create(Load(yaml)).RunAsync(screen, Options(Tier(chat).BeginRun("run-1")), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.True(item.Status == WorkItemStatus.Succeeded, item.Failure?.ToString());
        var condition = Assert.Single(item.Drafts);
        Assert.Equal(problem, Value(condition, "code.text"));
        Assert.Contains($"diagnosis of {problem}", Value(condition, "extension[0].extension[1].valueString"), StringComparison.Ordinal);
        Assert.NotEmpty(condition.Problems);
    }

    public void Dispose()
    {
        _services.Dispose();
        _logs.Dispose();
    }

    private static readonly UsCoreValidator Validator = new(UsCorePackagePath());

    private static string UsCorePackagePath()
    {
        var root = Environment.GetEnvironmentVariable("RPA_SHARED_DATA") is { Length: > 0 } shared
            ? shared
            : Path.Combine(RepoRoot(), "..", "shared", "data");
        return Path.GetFullPath(Path.Combine(root, "us-core", "hl7.fhir.us.core-6.1.0.tgz"));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RpaWorker.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("RpaWorker.sln not found above the test folder");
    }

    private static string Value(ResourceDraft draft, string path) => Assert.Single(draft.Assignments, a => a.Key == path).Value;

    private static FakeSession Screen()
    {
        var s = new FakeSession();
        s.Texts["#note"] = Note;
        return s;
    }

    private static Playbooks.Model.PlaybookDefinition Load(string yaml)
    {
        var loaded = PlaybookLoader.LoadText("notes.yaml", yaml);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return loaded.Playbook!;
    }

    private async Task<(RunResult Result, ExtractionChat Chat)> RunAsync(ExtractionChat chat, FakeSession screen, double? publishAbove = null)
    {
        var result = await PlaybookRunner.Create(Load(Yaml(publishAbove, optional: false))).RunAsync(screen, Options(Tier(chat).BeginRun("run-1")), CancellationToken.None);
        return (result, chat);
    }

    private static string Yaml(double? publishAbove, bool optional) => Playbook
        .Replace("PUBLISH", publishAbove is { } t ? $"publish_above: {t.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "", StringComparison.Ordinal)
        .Replace("MODIFIERS", optional ? "optional: true" : "", StringComparison.Ordinal);

    private static RunOptions Options(IScreenAssistant? assistant) => new()
    {
        Assistant = assistant,
        DefaultBackoff = TimeSpan.FromMilliseconds(1),
        DefaultTimeout = TimeSpan.FromSeconds(5),
        PollInterval = TimeSpan.FromMilliseconds(5),
    };

    private AiTier Tier(ExtractionChat chat) => AiTier.Create(
        new AiOptions { Provider = "openai-compatible", Endpoint = "http://127.0.0.1:9/v1", Model = "test-model", AllowPhi = true },
        chat, "scripted", TimeProvider.System, _services.GetRequiredService<IMeterFactory>(), _logs.Factory);

    /// <summary>Answers for the note above, quoting it as a careful model would.</summary>
    private static ExtractionChat CreateChat() => new ExtractionChat()
        .On("condition", Items(("name", "hypertension", "hypertension", 0.95), ("name", "anxiety disorder", "anxiety disorder", 0.9)))
        .On("medication", _ => """
            {"items":[{"name":{"value":"Amlodipine 5 MG Oral Tablet","quote":"Continues Amlodipine 5 MG Oral Tablet","confidence":0.95},
                       "dosage":{"value":"take 1 tablet by mouth once daily","quote":"take 1 tablet by mouth once daily","confidence":0.9}}]}
            """)
        .On("allergy", _ => """
            {"items":[{"substance":{"value":"penicillin","quote":"Allergy to penicillin","confidence":0.95},
                       "reaction":{"value":"hives","quote":"reaction: hives","confidence":0.9}}]}
            """);

    /// <summary>An answer of one-field items: (field, value, quote, confidence) each.</summary>
    private static Func<string, string> Items(params (string Field, string Value, string Quote, double Confidence)[] items) => _ =>
        "{\"items\":[" + string.Join(",", items.Select(i =>
            $"{{\"{i.Field}\":{{\"value\":\"{i.Value}\",\"quote\":\"{i.Quote}\",\"confidence\":{i.Confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}")) + "]}";

    /// <summary>A generated chart's scanned letter as the mock EHR serves it, and a problem the letter names.</summary>
    private static async Task<(byte[] Png, string Problem)> MockLetterAsync()
    {
        var source = ChartGenerator.Generate(40, ChartGenerator.DefaultSeed)
            .First(c => c.Documents.Any(d => d.Type == LegacyDocument.Letter && d.Text.Contains("diagnosis of ", StringComparison.Ordinal)));
        using var store = LegacyStore.InMemory();
        var chart = store.AddChart(source);
        var letter = chart.Documents.First(d => d.Type == LegacyDocument.Letter && d.Text.Contains("diagnosis of ", StringComparison.Ordinal));
        var problem = chart.Problems.Select(p => p.Description.ToLowerInvariant()).First(p => letter.Text.Contains($"diagnosis of {p}", StringComparison.Ordinal));
        await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = ehr.BaseAddress };
        var defaults = new MockEhrOptions();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = defaults.UserName, ["password"] = defaults.Password });
        (await http.PostAsync("/login", form)).Dispose();
        return (await http.GetByteArrayAsync($"/chart/{chart.Patient.Id}/documents/{letter.Id}/scan.png"), problem);
    }

    /// <summary>Keeps every log line written, rendered, to look for PHI.</summary>
    private sealed class CapturingLogs : ILoggerProvider
    {
        public CapturingLogs() => Factory = LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

        public ILoggerFactory Factory { get; }

        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() => Factory.Dispose();

        private sealed class Logger(CapturingLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Lines)
                {
                    owner.Lines.Add(formatter(state, exception) + " " + exception);
                }
            }
        }
    }
}
