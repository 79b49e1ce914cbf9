using RpaWorker.Engine.Parsing;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;
using ExecutionContext = RpaWorker.Engine.Running.ExecutionContext;

namespace RpaWorker.Engine.Steps;

// Steps that read data. A value that does not parse is kept as an InvalidValue with the reason, so that whatever is
// built from it is quarantined rather than guessed; a required value that is not on the screen fails the step. Reads are
// checked reads: a value the driver doubts (an OCR reading it cannot vouch for) is held for review the same way, with
// the driver's PHI-free note and the name of the picture it kept, instead of being parsed and published.

internal sealed class ExtractFactory : StepFactory<ExtractStep>
{
    protected override CompiledStep Build(ExtractStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(ExtractStep step, string id) : CompiledStep(step, id)
    {
        public override bool ReadsPatientData => true;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            var record = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var field in step.Fields)
            {
                var target = context.Target(field.Target, $"{Id}: field '{field.Name}' ({field.Target.Describe()})");
                // Optional fields get a short look once the screen is there (an earlier field was found, or the
                // step's first field was): an absent optional value must not cost a whole timeout.
                var timeout = field.Required || record.Count == 0 ? context.TimeoutOf(step) : TimeSpan.FromMilliseconds(Math.Min(250, context.TimeoutOf(step).TotalMilliseconds));
                var check = new UiValueCheck { Field = $"{step.Into}.{field.Name}" };
                var text = await context.Session.ReadCheckedAsync(target, check, timeout, cancellationToken);
                if (!text.Ok && text.Failure is UiFailure.Timeout && timeout < context.TimeoutOf(step)
                    && await context.Session.IsVisibleAsync(target, cancellationToken))
                {
                    // The short look ran out on a busy machine but the field is there: read it with the step's time.
                    text = await context.Session.ReadCheckedAsync(target, check, context.TimeoutOf(step), cancellationToken);
                }
                if (!text.Ok)
                {
                    if (!field.Required && text.Failure is UiFailure.NotFound)
                    {
                        record[field.Name] = null;
                        continue;
                    }
                    return StepOutcome.Fail(text.Reason ?? $"field '{field.Name}' could not be read", text.Failure);
                }
                var what = $"field '{field.Name}' of '{step.Into}'";
                record[field.Name] = text.Value!.Review is { } review
                    ? Held(what, review)
                    : Value(text.Value.Text, field.Parse, field.Required, what, context);
            }
            context.NoteScreen();
            context.SetRecord(step.Into, record);
            return StepOutcome.Success;
        }
    }

    /// <summary>A value the driver would not vouch for: kept out of every resource built from it, with the driver's note.</summary>
    internal static InvalidValue Held(string what, string review) => new($"{what} is held for review ({review})") { HeldForReview = true };

    internal static object? Value(string? text, IReadOnlyList<ParserDefinition> parse, bool required, string what, ExecutionContext context)
    {
        var outcome = ValueParsers.Parse(text, parse, context.Playbook.Definition.ConceptMaps, context.Options.TimeProvider.GetUtcNow().Year);
        if (!outcome.Ok)
        {
            return new InvalidValue($"{what} {outcome.Error}");
        }
        if (outcome.Value is null && required)
        {
            return new InvalidValue($"{what} is empty");
        }
        return outcome.Value;
    }
}

internal sealed class ExtractTableFactory : StepFactory<ExtractTableStep>
{
    /// <summary>In a transposed table, the column entry with this header describes the header of every other column.</summary>
    public const string AcrossHeader = "*";

    protected override CompiledStep Build(ExtractTableStep step, string id, StepCompiler compiler) => new Run(step, id);

    private sealed class Run(ExtractTableStep step, string id) : CompiledStep(step, id)
    {
        public override bool ReadsPatientData => true;

        public override async Task<StepOutcome> RunAsync(ExecutionContext context, CancellationToken cancellationToken)
        {
            var rows = new List<object?>();
            var target = context.Target(step.Target, $"{Id}: table ({step.Target.Describe()})");
            var maxPages = step.Paginate?.MaxPages ?? 1;
            var table = await context.Session.ReadCheckedTableAsync(target, context.TimeoutOf(step), cancellationToken);
            for (var page = 1; ; page++)
            {
                if (!table.Ok)
                {
                    return Failed(page, StepOutcome.Fail(table.Reason ?? "the table could not be read", table.Failure));
                }
                context.NoteScreen();
                var doubtful = table.Value!.Doubtful.ToDictionary(d => (d.Row, d.Column));
                var problem = step.Transposed
                    ? ReadTransposed(table.Value.Table, doubtful, rows, context)
                    : ReadRows(table.Value.Table, doubtful, rows, context);
                if (problem is not null)
                {
                    return StepOutcome.Fail(problem);
                }
                if (step.Paginate is null)
                {
                    break;
                }
                var next = context.Target(step.Paginate.Next, $"{Id}: next page ({step.Paginate.Next.Describe()})");
                if (!await context.Session.IsVisibleAsync(next, cancellationToken))
                {
                    break;
                }
                if (page == maxPages)
                {
                    return StepOutcome.Fail($"more than {maxPages} pages (paginate.max_pages); stopped to avoid a loop");
                }
                var turned = await TurnPageAsync(context, target, next, table.Value!, cancellationToken);
                if (!turned.Ok)
                {
                    return Failed(page + 1, StepOutcome.Fail($"could not go to page {page + 1}: {turned.Reason}", turned.Failure));
                }
                table = turned;
            }
            context.SetRecord(step.Into, rows);
            return StepOutcome.Success;
        }

        /// <summary>Past the first page, a failure leaves the earlier pages behind the screen: the step must not be
        /// retried from where it stands (it would start its list at this page).</summary>
        private static StepOutcome Failed(int page, StepOutcome outcome) =>
            page > 1 ? outcome with { Reason = $"{outcome.Reason} (on page {page}; the pages before it are not kept)", Partial = true } : outcome;

        /// <summary>
        /// Clicks "next" and reads the page it leads to. A click that times out or loses its page may still have turned
        /// the page (a slow navigation), so before clicking again the table is read: when it differs from the page
        /// just read, the page has turned; when it is the same, the click is tried again. An error page is reloaded.
        /// </summary>
        private async Task<UiResult<UiCheckedTable>> TurnPageAsync(ExecutionContext context, UiTarget table, UiTarget next, UiCheckedTable current,
            CancellationToken cancellationToken)
        {
            var timeout = context.TimeoutOf(step);
            var click = await context.Session.ClickAsync(next, timeout, cancellationToken);
            for (var attempt = 1; !click.Ok && attempt < context.Options.DefaultAttempts; attempt++)
            {
                await Task.Delay(context.Options.DefaultBackoff * attempt, context.Options.TimeProvider, cancellationToken);
                if (click.Failure is UiFailure.ServerError)
                {
                    // The next page answered with an error page: load it again rather than lose the pages read so far.
                    click = await context.Session.NavigateAsync(context.Session.Location, timeout, cancellationToken);
                }
                else if (click.Failure is UiFailure.Timeout or UiFailure.Disconnected)
                {
                    var now = await context.Session.ReadCheckedTableAsync(table, timeout, cancellationToken);
                    if (now.Ok && !SameTable(now.Value!.Table, current.Table))
                    {
                        return now;
                    }
                    click = await context.Session.ClickAsync(next, timeout, cancellationToken);
                }
                else
                {
                    break;
                }
            }
            return click.Ok
                ? await context.Session.ReadCheckedTableAsync(table, timeout, cancellationToken)
                : click.As<UiCheckedTable>();
        }

        private static bool SameTable(UiTable a, UiTable b) =>
            a.Headers.SequenceEqual(b.Headers) && a.Rows.Count == b.Rows.Count && a.Rows.Zip(b.Rows).All(r => r.First.SequenceEqual(r.Second));

        private string? ReadRows(UiTable table, Dictionary<(int Row, int Column), UiDoubtfulCell> doubtful, List<object?> rows, ExecutionContext context)
        {
            var indexes = new List<(ColumnDefinition Column, int Index)>();
            foreach (var column in step.Columns)
            {
                var index = IndexOf(table.Headers, column.Header);
                if (index < 0)
                {
                    return $"target not found: column '{column.Header}' is not in the table (its headers: {string.Join(", ", table.Headers)})";
                }
                indexes.Add((column, index));
            }
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var cells = table.Rows[r];
                if (!step.KeepEmptyRows && cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                // A row with a single cell spanning the table ("No known problems") is a message, not data.
                if (cells.Count == 1 && table.Headers.Count > 1)
                {
                    continue;
                }
                var record = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (column, index) in indexes)
                {
                    var text = index < cells.Count ? cells[index] : null;
                    record[column.Field] = Cell(text, r, index, column, $"column '{column.Header}' of '{step.Into}' row {rows.Count + 1}", doubtful, context);
                }
                rows.Add(record);
            }
            return null;
        }

        private string? ReadTransposed(UiTable table, Dictionary<(int Row, int Column), UiDoubtfulCell> doubtful, List<object?> rows, ExecutionContext context)
        {
            var across = step.Columns.FirstOrDefault(c => c.Header == AcrossHeader);
            var labels = step.Columns.Where(c => c.Header != AcrossHeader).ToList();
            var labelIndexes = new List<(ColumnDefinition Column, int Index)>();
            foreach (var column in labels)
            {
                var index = IndexOf(table.Headers, column.Header);
                if (index < 0)
                {
                    return $"target not found: column '{column.Header}' is not in the table (its headers: {string.Join(", ", table.Headers)})";
                }
                labelIndexes.Add((column, index));
            }
            var valueColumns = Enumerable.Range(0, table.Headers.Count).Where(i => labelIndexes.All(l => l.Index != i)).ToList();
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var cells = table.Rows[r];
                foreach (var i in valueColumns)
                {
                    var cell = i < cells.Count ? cells[i] : null;
                    if (string.IsNullOrWhiteSpace(cell))
                    {
                        continue;
                    }
                    var record = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (column, index) in labelIndexes)
                    {
                        record[column.Field] = Cell(index < cells.Count ? cells[index] : null, r, index, column, $"column '{column.Header}' of '{step.Into}'", doubtful, context);
                    }
                    if (across is not null)
                    {
                        // The header is data here (a date of service): a header the driver doubts is held like a cell.
                        record[across.Field] = Cell(table.Headers[i], -1, i, across with { Required = true }, $"a column header of '{step.Into}'", doubtful, context);
                    }
                    record["value"] = doubtful.TryGetValue((r, i), out var doubt)
                        ? ExtractFactory.Held($"a value of '{step.Into}'", doubt.Review)
                        : ValueParsers.Fold(cell);
                    rows.Add(record);
                }
            }
            return null;
        }

        /// <summary>
        /// A cell's value: held when the driver doubts the cell, else parsed as its column says. A cell doubted only for
        /// a low confidence, whose readings agreed on one of the column's known values, is not in doubt.
        /// </summary>
        private static object? Cell(string? text, int row, int column, ColumnDefinition definition, string what,
            Dictionary<(int Row, int Column), UiDoubtfulCell> doubtful, ExecutionContext context) =>
            doubtful.TryGetValue((row, column), out var doubt) && !(doubt.ReadingsAgree && IsKnown(text, definition))
                ? ExtractFactory.Held(what, doubt.Review)
                : ExtractFactory.Value(text, definition.Parse, definition.Required, what, context);

        private static bool IsKnown(string? text, ColumnDefinition definition) =>
            ValueParsers.Fold(text) is { Length: > 0 } value && definition.KnownValues.Contains(value, StringComparer.Ordinal);

        private static int IndexOf(IReadOnlyList<string> headers, string header)
        {
            var wanted = ValueParsers.Fold(header)!;
            for (var i = 0; i < headers.Count; i++)
            {
                if (string.Equals(ValueParsers.Fold(headers[i]), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
