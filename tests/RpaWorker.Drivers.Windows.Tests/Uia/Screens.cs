using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Windows.Uia.UiaControlType;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

/// <summary>
/// UI Automation trees shaped like a WinForms EHR's (what UIA shows for labels, edit boxes named after their labels,
/// a tab control, a list view, a modal message box). The patient values are canaries: no failure reason may hold them.
/// </summary>
internal static class Screens
{
    public const string PatientName = "ZZCANARY, JOHN A";
    public const string Mrn = "8675309";

    public static UiaNode Node(int type, string name = "", string id = "", UiaBounds bounds = default, bool offscreen = false,
        string labeledBy = "", bool modal = false, bool selected = false, bool enabled = true, params UiaNode[] children)
    {
        var node = new UiaNode
        {
            Element = new object(), ControlType = type, Name = name, AutomationId = id, Bounds = bounds, Offscreen = offscreen,
            LabeledBy = labeledBy, Modal = modal, Selected = selected, Enabled = enabled,
        };
        foreach (var child in children)
        {
            node.Add(child);
        }
        return node;
    }

    public static UiaBounds At(int x, int y, int width = 120, int height = 20) => new(x, y, width, height);

    public static UiaNode Login() => Node(Window, "MedDesk Classic - Sign in", "LoginForm", At(0, 0, 400, 200), children:
    [
        Node(Text, "User name:", bounds: At(10, 10, 80)),
        Node(Edit, "User name:", "userBox", At(100, 10, 150), labeledBy: "User name:"),
        Node(Text, "Password:", bounds: At(10, 40, 80)),
        Node(Edit, "", "passwordBox", At(100, 40, 150)),
        Node(Button, "Sign in", "signIn", At(100, 70, 80, 25)),
    ]);

    public static UiaNode Chart(params UiaNode[] extra)
    {
        var window = Node(Window, $"MedDesk Classic - {PatientName}", "ChartForm", At(0, 0, 800, 600), children:
        [
            Node(Text, "Name:", bounds: At(10, 10, 60)),
            Node(Text, PatientName, bounds: At(80, 10, 200)),
            Node(Text, "MRN:", bounds: At(300, 10, 40)),
            Node(Edit, "MRN:", "mrnBox", At(350, 10, 100)),
            Node(Text, "Visit type:", bounds: At(10, 40, 80)),
            Node(ComboBox, "Visit type:", "visitType", At(100, 40, 150), children: [Node(List, "", "", At(100, 60, 150, 0), offscreen: true)]),
            Node(Tab, "", "chartTabs", At(10, 80, 700, 400), children:
            [
                Node(TabItem, "Problems", bounds: At(12, 82, 80), selected: true),
                Node(TabItem, "Medications", bounds: At(95, 82, 90)),
                Node(Pane, "", "problemsPage", At(12, 105, 690, 370), children:
                [
                    Node(Group, "Problem List", "problemBox", At(20, 110, 600, 300), children:
                    [
                        Node(DataGrid, "", "problemGrid", At(30, 130, 580, 260), children:
                        [
                            Node(Header, "", "", At(30, 130, 580, 20), children:
                            [
                                Node(HeaderItem, "Problem", bounds: At(30, 130, 200)),
                                Node(HeaderItem, "Onset", bounds: At(230, 130, 100)),
                            ]),
                            Node(DataItem, "Hypertension", bounds: At(30, 150, 580), children:
                            [
                                Node(Text, "Hypertension", bounds: At(30, 150, 200)),
                                Node(Text, "03/14/2019", bounds: At(230, 150, 100)),
                            ]),
                            Node(DataItem, "Asthma", bounds: At(30, 170, 580), children:
                            [
                                Node(Text, "Asthma", bounds: At(30, 170, 200)),
                                Node(Text, "Mar 5 '19", bounds: At(230, 170, 100)),
                            ]),
                        ]),
                    ]),
                ]),
                Node(Pane, "", "medicationsPage", At(12, 105, 690, 370), offscreen: true, children:
                [
                    Node(Text, "Lisinopril 10 mg", bounds: At(20, 110), offscreen: true),
                ]),
            ]),
            Node(Button, "Save", "saveButton", At(10, 500, 80, 25), enabled: false),
            Node(Button, "Print", "printButton", At(100, 500, 80, 25)),
        ]);
        foreach (var node in extra)
        {
            window.Add(node);
        }
        return window;
    }

    /// <summary>A message box the chart window opened: UIA shows owned windows inside their owner.</summary>
    public static UiaNode AllergyWarning() => Node(Window, "Warning", "", At(200, 200, 300, 150), modal: true, children:
    [
        Node(Text, $"Patient {PatientName} has allergies", bounds: At(210, 220, 280)),
        Node(Button, "OK", "2", At(300, 300, 75, 23)),
    ]);

    public static UiTarget Target(LocatorKind kind, string value, string? name = null, bool exact = false) =>
        UiTarget.Of(new UiLocator(kind, value, name, exact));
}
