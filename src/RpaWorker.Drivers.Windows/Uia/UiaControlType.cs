namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// UI Automation control types (UIA_*ControlTypeId) and the playbook roles that find them. Playbooks speak
/// ARIA-like roles (button, textbox, tab, grid); UIA control type names (Edit, DataItem, TabItem) are accepted as
/// they are, case-insensitively.
/// </summary>
internal static class UiaControlType
{
    public const int Button = 50000;
    public const int Calendar = 50001;
    public const int CheckBox = 50002;
    public const int ComboBox = 50003;
    public const int Edit = 50004;
    public const int Hyperlink = 50005;
    public const int Image = 50006;
    public const int ListItem = 50007;
    public const int List = 50008;
    public const int Menu = 50009;
    public const int MenuBar = 50010;
    public const int MenuItem = 50011;
    public const int ProgressBar = 50012;
    public const int RadioButton = 50013;
    public const int ScrollBar = 50014;
    public const int Slider = 50015;
    public const int Spinner = 50016;
    public const int StatusBar = 50017;
    public const int Tab = 50018;
    public const int TabItem = 50019;
    public const int Text = 50020;
    public const int ToolBar = 50021;
    public const int ToolTip = 50022;
    public const int Tree = 50023;
    public const int TreeItem = 50024;
    public const int Custom = 50025;
    public const int Group = 50026;
    public const int Thumb = 50027;
    public const int DataGrid = 50028;
    public const int DataItem = 50029;
    public const int Document = 50030;
    public const int SplitButton = 50031;
    public const int Window = 50032;
    public const int Pane = 50033;
    public const int Header = 50034;
    public const int HeaderItem = 50035;
    public const int Table = 50036;
    public const int TitleBar = 50037;
    public const int Separator = 50038;
    public const int SemanticZoom = 50039;
    public const int AppBar = 50040;

    private static readonly Dictionary<int, string> Names = new()
    {
        [Button] = "Button", [Calendar] = "Calendar", [CheckBox] = "CheckBox", [ComboBox] = "ComboBox", [Edit] = "Edit",
        [Hyperlink] = "Hyperlink", [Image] = "Image", [ListItem] = "ListItem", [List] = "List", [Menu] = "Menu",
        [MenuBar] = "MenuBar", [MenuItem] = "MenuItem", [ProgressBar] = "ProgressBar", [RadioButton] = "RadioButton",
        [ScrollBar] = "ScrollBar", [Slider] = "Slider", [Spinner] = "Spinner", [StatusBar] = "StatusBar", [Tab] = "Tab",
        [TabItem] = "TabItem", [Text] = "Text", [ToolBar] = "ToolBar", [ToolTip] = "ToolTip", [Tree] = "Tree",
        [TreeItem] = "TreeItem", [Custom] = "Custom", [Group] = "Group", [Thumb] = "Thumb", [DataGrid] = "DataGrid",
        [DataItem] = "DataItem", [Document] = "Document", [SplitButton] = "SplitButton", [Window] = "Window", [Pane] = "Pane",
        [Header] = "Header", [HeaderItem] = "HeaderItem", [Table] = "Table", [TitleBar] = "TitleBar",
        [Separator] = "Separator", [SemanticZoom] = "SemanticZoom", [AppBar] = "AppBar",
    };

    private static readonly Dictionary<string, int> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    // Playbook roles, as in the AT-SPI and web drivers, to the control types that play them on Windows.
    private static readonly Dictionary<string, int[]> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["button"] = [Button, SplitButton],
        ["textbox"] = [Edit, Document],
        ["tab"] = [TabItem],
        ["tablist"] = [Tab],
        ["dialog"] = [Window],
        ["alertdialog"] = [Window],
        ["table"] = [DataGrid, Table],
        ["grid"] = [DataGrid, Table],
        ["list"] = [List],
        ["listbox"] = [List],
        ["listitem"] = [ListItem],
        ["option"] = [ListItem, MenuItem],
        ["row"] = [DataItem],
        ["cell"] = [DataItem, Text, Edit],
        ["gridcell"] = [DataItem, Text, Edit],
        ["columnheader"] = [HeaderItem],
        ["combobox"] = [ComboBox],
        ["checkbox"] = [CheckBox],
        ["radio"] = [RadioButton],
        ["menuitem"] = [MenuItem],
        ["menu"] = [Menu],
        ["menubar"] = [MenuBar],
        ["window"] = [Window],
        ["heading"] = [Text, Group],
        ["label"] = [Text],
        ["link"] = [Hyperlink],
        ["group"] = [Group],
        ["tree"] = [Tree],
        ["treeitem"] = [TreeItem],
        ["spinbutton"] = [Spinner],
        ["status"] = [StatusBar],
        ["toolbar"] = [ToolBar],
        ["img"] = [Image],
        ["document"] = [Document],
    };

    /// <summary>Controls a person types into or chooses in: what a label names.</summary>
    public static bool IsInput(int controlType) =>
        controlType is Edit or Document or ComboBox or Spinner or CheckBox or RadioButton or List or Slider;

    /// <summary>
    /// Controls whose own name is text they show even when they have children. Inputs are not among them: an edit
    /// box's name is the label next to it, not its contents.
    /// </summary>
    public static bool BearsText(int controlType) =>
        controlType is Button or SplitButton or TabItem or MenuItem or CheckBox or RadioButton or Hyperlink or ListItem
            or DataItem or HeaderItem or Group or TreeItem;

    /// <summary>Controls that hold rows: what a heading introduces and what a table read reads.</summary>
    public static bool HoldsRows(int controlType) => controlType is DataGrid or Table or List or Tree;

    /// <summary>The UIA name of a control type id (e.g. "Edit"), or its number when unknown.</summary>
    public static string NameOf(int controlType) =>
        Names.TryGetValue(controlType, out var name) ? name : controlType.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The control types a playbook role finds: a known role's, else the UIA control type of that name. Null when
    /// the role is neither, so the caller can say so.
    /// </summary>
    public static IReadOnlySet<int>? ForRole(string role)
    {
        if (Roles.TryGetValue(role, out var types))
        {
            return types.ToHashSet();
        }
        return ByName.TryGetValue(role.Replace(" ", "", StringComparison.Ordinal), out var type) ? new HashSet<int> { type } : null;
    }

    /// <summary>Roles that only match modal windows.</summary>
    public static bool IsDialogRole(string role) =>
        role.Equals("dialog", StringComparison.OrdinalIgnoreCase) || role.Equals("alertdialog", StringComparison.OrdinalIgnoreCase);
}
