namespace RpaWorker.Playbooks.Model;

/// <summary>
/// A step of a flow. Every step may carry an <see cref="Id"/> (used in messages and traces), a
/// <see cref="Timeout"/>, a <see cref="Retry"/> policy for transient faults, and <see cref="Optional"/>.
/// </summary>
public abstract record StepDefinition
{
    /// <summary>The step kind's keyword (click, extract, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>Optional id; defaults to <c>kind#n</c> by position.</summary>
    public string? Id { get; init; }

    /// <summary>How long the step may take, waits included. Null: the engine's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retries for transient faults (a server error page, a dropped connection). Null: the engine's default.</summary>
    public RetryDefinition? Retry { get; init; }

    /// <summary>When true a step whose target is not found is skipped instead of failing the work item.</summary>
    public bool Optional { get; init; }

    /// <summary>Where the step is written.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>Retries with exponential backoff.</summary>
/// <param name="Attempts">Total attempts, at least 1.</param>
/// <param name="Backoff">Delay before the second attempt; doubled each time.</param>
public sealed record RetryDefinition(int Attempts, TimeSpan Backoff);

/// <summary><c>goto: url</c> — navigate to an address (web).</summary>
public sealed record GotoStep(string Url) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "goto";
}

/// <summary>Ways to look through a flow's steps.</summary>
public static class PlaybookSteps
{
    /// <summary>Every step, and the steps nested in loops and branches, depth first in file order.</summary>
    public static IEnumerable<StepDefinition> Walk(IEnumerable<StepDefinition> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            var children = step switch
            {
                ForEachStep f => f.Do,
                IfStep i => [.. i.Then, .. i.Else],
                _ => [],
            };
            foreach (var child in Walk(children))
            {
                yield return child;
            }
        }
    }
}

/// <summary><c>reload</c> — load the current address again (an error page, a half-drawn frame).</summary>
public sealed record ReloadStep : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "reload";
}

/// <summary><c>click: target</c> — click or invoke a control. Refused for protected controls in read-only mode.</summary>
public sealed record ClickStep(TargetDefinition Target) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "click";
}

/// <summary><c>fill: { target, value }</c> — replace a field's text. <see cref="Secret"/> values are never logged.</summary>
public sealed record FillStep(TargetDefinition Target, string Value, bool Secret) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "fill";
}

/// <summary><c>select: { target, option }</c> — choose an option of a list, combo box or tab.</summary>
public sealed record SelectStep(TargetDefinition Target, string Option) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "select";
}

/// <summary><c>press: { key, target? }</c> — press a key (Enter, Tab, Escape...).</summary>
public sealed record PressStep(string Key, TargetDefinition? Target) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "press";
}

/// <summary><c>wait: { until: condition }</c> — wait until a condition holds; never a fixed sleep.</summary>
public sealed record WaitStep(ConditionDefinition Until) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "wait";
}

/// <summary><c>accept_dialog: {}</c> — accept (OK) the native dialog that is open.</summary>
public sealed record AcceptDialogStep : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "accept_dialog";
}

/// <summary><c>extract: { into, fields }</c> — read single values into a record named <see cref="Into"/>.</summary>
public sealed record ExtractStep(string Into, IReadOnlyList<FieldDefinition> Fields) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "extract";
}

/// <summary>One field of an <see cref="ExtractStep"/>.</summary>
public sealed record FieldDefinition
{
    /// <summary>Required. The field's name in the record.</summary>
    public required string Name { get; init; }

    /// <summary>Required. Where to read it.</summary>
    public required TargetDefinition Target { get; init; }

    /// <summary>How to turn the text into a value; plain trimmed text when empty.</summary>
    public IReadOnlyList<ParserDefinition> Parse { get; init; } = [];

    /// <summary>When false (the default is true) an empty or missing value is allowed.</summary>
    public bool Required { get; init; } = true;

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>
/// <c>extract_table: { into, target, columns, paginate? }</c> — read a table (or every page of a paged list)
/// into a list of records named <see cref="Into"/>, one per row.
/// </summary>
public sealed record ExtractTableStep(string Into, TargetDefinition Target, IReadOnlyList<ColumnDefinition> Columns, PaginateDefinition? Paginate) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "extract_table";

    /// <summary>Whether rows whose cells are all empty are kept. Default false.</summary>
    public bool KeepEmptyRows { get; init; }

    /// <summary>
    /// Whether the table is transposed: records are columns and fields are rows, as in a vitals flowsheet
    /// (dates across, measures down). Default false.
    /// </summary>
    public bool Transposed { get; init; }
}

/// <summary>One column of a table: header text to field name.</summary>
public sealed record ColumnDefinition
{
    /// <summary>Required. The header text as shown (case-insensitive, whitespace-folded).</summary>
    public required string Header { get; init; }

    /// <summary>Required. The field name in each row record.</summary>
    public required string Field { get; init; }

    /// <summary>How to turn the cell text into a value.</summary>
    public IReadOnlyList<ParserDefinition> Parse { get; init; } = [];

    /// <summary>When true (the default is false) a row whose cell is empty fails to parse.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Values the column holds (<c>known_values</c>: a list, or the name of a list in <see cref="KnownValueLists"/>, such as
    /// <c>ucum</c>). A cell the driver doubts only for a low OCR confidence, whose independent readings agreed, is used
    /// when its text is exactly one of these; any other doubtful cell is still held for review. Default empty.
    /// </summary>
    public IReadOnlyList<string> KnownValues { get; init; } = [];

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>How to reach the next page of a paged list.</summary>
/// <param name="Next">The control that shows the next page; the last page is where it is absent or disabled.</param>
/// <param name="MaxPages">A guard against loops. Default 200.</param>
/// <param name="Location">Where it is written.</param>
public sealed record PaginateDefinition(TargetDefinition Next, int MaxPages, SourceLocation Location);

/// <summary>
/// <c>for_each: { in, as, do }</c> — run steps for each item of a list (the rows of an extracted table, or an input
/// list), with the item bound to the name in <see cref="As"/>.
/// </summary>
public sealed record ForEachStep(string In, string As, IReadOnlyList<StepDefinition> Do) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "for_each";

    /// <summary>When true each item is a work item of its own: its outcome is recorded and a failure does not stop the others.</summary>
    public bool WorkItem { get; init; }
}

/// <summary><c>call: flow</c> or <c>call: { flow, with }</c> — run a sub-flow.</summary>
public sealed record CallStep(string Flow, IReadOnlyDictionary<string, string> With) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "call";
}

/// <summary><c>if: { when, then, else }</c> — branch on a condition of the screen.</summary>
public sealed record IfStep(ConditionDefinition When, IReadOnlyList<StepDefinition> Then, IReadOnlyList<StepDefinition> Else) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "if";
}

/// <summary><c>set: { name: value }</c> — set variables from templates.</summary>
public sealed record SetStep(IReadOnlyDictionary<string, string> Values) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "set";
}

/// <summary><c>checkpoint: name</c> — records progress so a resumed run starts after it.</summary>
public sealed record CheckpointStep(string Name) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "checkpoint";
}

/// <summary><c>fail: message</c> — fail the work item with a message (PHI-free, it is logged).</summary>
public sealed record FailStep(string Message) : StepDefinition
{
    /// <inheritdoc />
    public override string Kind => "fail";
}
