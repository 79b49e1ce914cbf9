using System.Globalization;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Web;
using static RpaWorker.MockEhr.Desktop.ScreenBuilder;

namespace RpaWorker.MockEhr.Desktop;

/// <summary>
/// The desktop mock EHR: one GTK window whose content is swapped per screen (login, patient search, chart), like
/// a 2005 thick client. Every method runs on the GTK thread.
/// </summary>
internal sealed partial class DesktopEhr(LegacyStore store, MockEhrOptions options, TimeProvider time, Action closed)
{
    public const string Product = "MedDesk Classic 4.2";

    private readonly Skin _skin = Skin.For(options.Skin);
    private readonly FaultDice _dice = new(options.FaultSeed);
    private nint _window;
    private ScreenBuilder? _screen;
    private ScreenBuilder? _shell;
    private readonly List<nint> _dialogs = [];

    /// <summary>The window's current title.</summary>
    public string Title { get; private set; } = "";

    public void Open()
    {
        _shell = new ScreenBuilder();
        _window = Gtk.WindowNew(0);
        Gtk.WindowSetDefaultSize(_window, options.WindowWidth, 740);
        Gtk.ContainerSetBorderWidth(_window, 8);
        _shell.OnDestroy(_window, () =>
        {
            _window = 0;
            _screen?.Dispose();
            closed();
        });
        ShowLogin(null);
    }

    public void Close()
    {
        foreach (var dialog in _dialogs.ToList())
        {
            Gtk.WidgetDestroy(dialog);
        }
        if (_window != 0)
        {
            Gtk.WidgetDestroy(_window);
        }
        _shell?.Dispose();
    }

    private void Show(string title, ScreenBuilder screen, nint content)
    {
        if (_window == 0)
        {
            screen.Dispose();
            return;
        }
        // A dialog's handlers live with the screen that opened it, so it goes when the screen does.
        foreach (var dialog in _dialogs.ToList())
        {
            Gtk.WidgetDestroy(dialog);
        }
        if (Gtk.BinGetChild(_window) is var old and not 0)
        {
            Gtk.WidgetDestroy(old);
        }
        _screen?.Dispose();
        _screen = screen;
        Title = $"{Product} - {title}";
        Gtk.WindowSetTitle(_window, Title);
        Gtk.ContainerAdd(_window, content);
        Gtk.WidgetShowAll(_window);
        Gtk.WindowPresent(_window);
    }

    private void ShowLogin(string? error)
    {
        var screen = new ScreenBuilder();
        // The user name field has only a label next to it; the password field is named, as many apps do for the one
        // field a screen reader must announce.
        var user = Entry(20, _skin.UserField);
        var password = Named(Entry(20, _skin.PasswordField, secret: true), "Password");
        var login = screen.Button(_skin.LoginButton, () => SignIn(ScreenBuilder.EntryText(user), ScreenBuilder.EntryText(password)));
        Gtk.WidgetSetCanDefault(login, true);
        var form = Form([(LabelFor("Username:", user), user), (Label("Password:", 1), password), (Label(""), login)]);
        var box = Box(Gtk.OrientationVertical, 10,
            Heading($"Welcome to {Product}"),
            Label($"{Product} - Clinical Information System. Authorized users only. All access is logged."),
            error is null ? Label("") : Named(Label(error), error),
            form);
        Show("Login", screen, box);
        Gtk.WindowSetDefault(_window, login);
        Gtk.WidgetGrabFocus(user);
    }

    private void SignIn(string user, string password)
    {
        if (!string.Equals(user, options.UserName, StringComparison.Ordinal) || !string.Equals(password, options.Password, StringComparison.Ordinal))
        {
            ShowLogin("Invalid username or password.");
            return;
        }
        ShowPatients("", "", "");
    }

    /// <summary>The bar over every signed-in screen: who is signed in, back to the search, and log off.</summary>
    private nint TopBar(ScreenBuilder screen, bool onChart)
    {
        var items = new List<nint> { Label($"User: {options.UserName}") };
        if (onChart)
        {
            items.Add(screen.Button("Patient Search", () => ShowPatients("", "", "")));
        }
        items.Add(screen.Button(_skin.LogoutText, () => ShowLogin(null)));
        return Box(Gtk.OrientationHorizontal, 12, [.. items]);
    }

    private void ShowPatients(string name, string mrn, string dob)
    {
        var screen = new ScreenBuilder();
        // Three fields, three habits: the name field is tied to its label, the MRN field also has an id, and the
        // date of birth field has nothing but the label drawn to its left.
        var nameEntry = Entry(24, _skin.NameParam);
        var mrnEntry = Entry(12, _skin.MrnParam);
        var dobEntry = Entry(12);
        Gtk.EntrySetText(nameEntry, name);
        Gtk.EntrySetText(mrnEntry, mrn);
        Gtk.EntrySetText(dobEntry, dob);
        var search = screen.Button(_skin.SearchButton, () =>
            ShowPatients(EntryText(nameEntry).Trim(), EntryText(mrnEntry).Trim(), EntryText(dobEntry).Trim()));
        Gtk.WidgetSetCanDefault(search, true);
        var form = Row(LabelFor("Last, First:", nameEntry), nameEntry, LabelFor("MRN:", mrnEntry), mrnEntry,
            Label("DOB (MM/DD/YYYY):", 1), dobEntry, search);

        var content = new List<nint> { TopBar(screen, onChart: false), Heading("Patient Search"), form };
        string? isoDob = null;
        if (dob.Length > 0 && (isoDob = LegacyFormat.ParseTypedDate(dob)) is null)
        {
            content.Add(Label("Invalid date of birth. Please use MM/DD/YYYY."));
        }
        else
        {
            var found = store.SearchPatients(name, mrn, isoDob);
            var list = ChartSections.Patients(_skin, found);
            content.Add(Label(found.Count == 0 ? list.EmptyText : $"{found.Count} patient(s) found"));
            var (scroller, view) = screen.Table(list.Headers, list.Rows, 420, row => OpenChart(found[row].Id));
            content.Add(scroller);
            content.Add(screen.Button("Open Chart", () =>
            {
                if (ScreenBuilder.SelectedRow(view) is { } row)
                {
                    OpenChart(found[row].Id);
                }
            }));
        }
        var box = Box(Gtk.OrientationVertical, 8, [.. content]);
        Show("Patient Search", screen, box);
        Gtk.WindowSetDefault(_window, search);
    }

    private void OpenChart(long patientId)
    {
        if (store.GetChart(patientId) is not { } chart)
        {
            return;
        }
        ShowChart(chart);
        // Popups belong to opening the chart, as on the web: the vendor's "unsigned notes" reminder, modal.
        var p = chart.Patient;
        if (p.UnsignedNotes > 0)
        {
            var notes = p.UnsignedNotes == 1 ? "1 unsigned note" : $"{p.UnsignedNotes.ToString(CultureInfo.InvariantCulture)} unsigned notes";
            Modal("Unsigned Notes", $"You have {notes} for this patient. Please review and sign.");
        }
        if (_dice.Roll(options.PopupRate))
        {
            Modal("Reminder", "Reminder: flu season is here. Please review this patient's influenza vaccination status.");
        }
    }

    private void Modal(string title, string message)
    {
        var screen = _screen!;
        var dialog = Gtk.DialogNew();
        Gtk.WindowSetTitle(dialog, title);
        Gtk.WindowSetModal(dialog, true);
        Gtk.WindowSetTransientFor(dialog, _window);
        Gtk.ContainerSetBorderWidth(dialog, 12);
        var text = Label(message);
        Gtk.LabelSetLineWrap(text, true);
        Gtk.WidgetSetSizeRequest(text, 340, -1);
        Gtk.BoxPackStart(Gtk.DialogGetContentArea(dialog), text, true, true, 8);
        Gtk.DialogAddButton(dialog, "OK", Gtk.ResponseOk);
        Gtk.DialogSetDefaultResponse(dialog, Gtk.ResponseOk);
        _dialogs.Add(dialog);
        screen.OnDestroy(dialog, () => _dialogs.Remove(dialog));
        screen.OnResponse(dialog, _ => Gtk.WidgetDestroy(dialog));
        Gtk.WidgetShowAll(dialog);
        Gtk.WindowPresent(dialog);
    }
}
