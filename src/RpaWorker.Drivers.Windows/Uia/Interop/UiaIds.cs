namespace RpaWorker.Drivers.Windows.Uia.Interop;

/// <summary>Property ids (UIAutomationClient.h, UIA_*PropertyId) the driver caches or reads.</summary>
internal static class UiaProperty
{
    public const int BoundingRectangle = 30001;
    public const int ProcessId = 30002;
    public const int ControlType = 30003;
    public const int Name = 30005;
    public const int HasKeyboardFocus = 30008;
    public const int IsEnabled = 30010;
    public const int AutomationId = 30011;
    public const int ClassName = 30012;
    public const int HelpText = 30013;
    public const int LabeledBy = 30018;
    public const int NativeWindowHandle = 30020;
    public const int IsOffscreen = 30022;
    public const int ValueValue = 30045;
    public const int WindowIsModal = 30077;
    public const int SelectionItemIsSelected = 30079;
    public const int LegacyIAccessibleValue = 30093;
}

/// <summary>Control pattern ids (UIA_*PatternId).</summary>
internal static class UiaPattern
{
    public const int Invoke = 10000;
    public const int Value = 10002;
    public const int ExpandCollapse = 10005;
    public const int Grid = 10006;
    public const int SelectionItem = 10010;
    public const int Table = 10012;
    public const int Text = 10014;
    public const int Toggle = 10015;
    public const int LegacyIAccessible = 10018;
}
