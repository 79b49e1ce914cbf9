using System.Runtime.InteropServices;

namespace RpaWorker.MockEhr.Desktop;

// Debian's GTK 3, GLib and ATK, called directly: GTK bindings are not available from our package source.
// Only the handful of calls the mock needs, all on the GTK thread (see GtkThread) except g_idle_add.

internal static partial class Glib
{
    private const string Lib = "libglib-2.0.so.0";

    [LibraryImport(Lib, EntryPoint = "g_idle_add")]
    public static unsafe partial uint IdleAdd(delegate* unmanaged[Cdecl]<nint, int> function, nint data);

    [LibraryImport(Lib, EntryPoint = "g_list_free")]
    public static partial void ListFree(nint list);

    [LibraryImport(Lib, EntryPoint = "g_set_prgname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetPrgname(string name);

    [LibraryImport(Lib, EntryPoint = "g_set_application_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetApplicationName(string name);
}

internal static partial class GObject
{
    private const string Lib = "libgobject-2.0.so.0";

    /// <summary>G_TYPE_STRING.</summary>
    public const nint TypeString = 16 << 2;

    [LibraryImport(Lib, EntryPoint = "g_signal_connect_data", StringMarshalling = StringMarshalling.Utf8)]
    public static partial ulong SignalConnectData(nint instance, string signal, nint handler, nint data, nint destroyData, int flags);

    [LibraryImport(Lib, EntryPoint = "g_value_init")]
    public static partial nint ValueInit(nint value, nint type);

    [LibraryImport(Lib, EntryPoint = "g_value_set_string", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ValueSetString(nint value, string text);

    [LibraryImport(Lib, EntryPoint = "g_value_unset")]
    public static partial void ValueUnset(nint value);
}

internal static partial class Atk
{
    private const string Lib = "libatk-1.0.so.0";

    [LibraryImport(Lib, EntryPoint = "atk_object_set_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetName(nint accessible, string name);

    [LibraryImport(Lib, EntryPoint = "atk_object_set_description", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetDescription(nint accessible, string description);

    [LibraryImport(Lib, EntryPoint = "atk_object_set_accessible_id", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetAccessibleId(nint accessible, string id);
}

internal static partial class Gtk
{
    private const string Lib = "libgtk-3.so.0";

    public const int OrientationHorizontal = 0;
    public const int OrientationVertical = 1;
    public const int PolicyAutomatic = 1;
    public const int PolicyNever = 2;
    public const int ResponseOk = -5;

    [LibraryImport(Lib, EntryPoint = "gtk_init_check")]
    [return: MarshalAs(UnmanagedType.I4)]
    public static partial bool InitCheck(nint argc, nint argv);

    [LibraryImport(Lib, EntryPoint = "gtk_main")]
    public static partial void Main();

    [LibraryImport(Lib, EntryPoint = "gtk_main_quit")]
    public static partial void MainQuit();

    [LibraryImport(Lib, EntryPoint = "gtk_window_new")]
    public static partial nint WindowNew(int type);

    [LibraryImport(Lib, EntryPoint = "gtk_window_set_title", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void WindowSetTitle(nint window, string title);

    [LibraryImport(Lib, EntryPoint = "gtk_window_set_default_size")]
    public static partial void WindowSetDefaultSize(nint window, int width, int height);

    [LibraryImport(Lib, EntryPoint = "gtk_window_set_modal")]
    public static partial void WindowSetModal(nint window, [MarshalAs(UnmanagedType.I4)] bool modal);

    [LibraryImport(Lib, EntryPoint = "gtk_window_set_transient_for")]
    public static partial void WindowSetTransientFor(nint window, nint parent);

    [LibraryImport(Lib, EntryPoint = "gtk_window_set_default")]
    public static partial void WindowSetDefault(nint window, nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_window_present")]
    public static partial void WindowPresent(nint window);

    [LibraryImport(Lib, EntryPoint = "gtk_container_add")]
    public static partial void ContainerAdd(nint container, nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_container_set_border_width")]
    public static partial void ContainerSetBorderWidth(nint container, uint width);

    [LibraryImport(Lib, EntryPoint = "gtk_bin_get_child")]
    public static partial nint BinGetChild(nint bin);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_show_all")]
    public static partial void WidgetShowAll(nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_destroy")]
    public static partial void WidgetDestroy(nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_grab_focus")]
    public static partial void WidgetGrabFocus(nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_set_can_default")]
    public static partial void WidgetSetCanDefault(nint widget, [MarshalAs(UnmanagedType.I4)] bool canDefault);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_set_size_request")]
    public static partial void WidgetSetSizeRequest(nint widget, int width, int height);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_set_halign")]
    public static partial void WidgetSetHalign(nint widget, int align);

    [LibraryImport(Lib, EntryPoint = "gtk_widget_get_accessible")]
    public static partial nint WidgetGetAccessible(nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_box_new")]
    public static partial nint BoxNew(int orientation, int spacing);

    [LibraryImport(Lib, EntryPoint = "gtk_box_pack_start")]
    public static partial void BoxPackStart(nint box, nint child, [MarshalAs(UnmanagedType.I4)] bool expand, [MarshalAs(UnmanagedType.I4)] bool fill, uint padding);

    [LibraryImport(Lib, EntryPoint = "gtk_grid_new")]
    public static partial nint GridNew();

    [LibraryImport(Lib, EntryPoint = "gtk_grid_attach")]
    public static partial void GridAttach(nint grid, nint child, int left, int top, int width, int height);

    [LibraryImport(Lib, EntryPoint = "gtk_grid_set_row_spacing")]
    public static partial void GridSetRowSpacing(nint grid, uint spacing);

    [LibraryImport(Lib, EntryPoint = "gtk_grid_set_column_spacing")]
    public static partial void GridSetColumnSpacing(nint grid, uint spacing);

    [LibraryImport(Lib, EntryPoint = "gtk_label_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LabelNew(string text);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_markup", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LabelSetMarkup(nint label, string markup);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_text", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LabelSetText(nint label, string text);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_xalign")]
    public static partial void LabelSetXalign(nint label, float xalign);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_line_wrap")]
    public static partial void LabelSetLineWrap(nint label, [MarshalAs(UnmanagedType.I4)] bool wrap);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_selectable")]
    public static partial void LabelSetSelectable(nint label, [MarshalAs(UnmanagedType.I4)] bool selectable);

    [LibraryImport(Lib, EntryPoint = "gtk_label_set_mnemonic_widget")]
    public static partial void LabelSetMnemonicWidget(nint label, nint widget);

    [LibraryImport(Lib, EntryPoint = "gtk_entry_new")]
    public static partial nint EntryNew();

    [LibraryImport(Lib, EntryPoint = "gtk_entry_set_visibility")]
    public static partial void EntrySetVisibility(nint entry, [MarshalAs(UnmanagedType.I4)] bool visible);

    [LibraryImport(Lib, EntryPoint = "gtk_entry_set_activates_default")]
    public static partial void EntrySetActivatesDefault(nint entry, [MarshalAs(UnmanagedType.I4)] bool activates);

    [LibraryImport(Lib, EntryPoint = "gtk_entry_set_width_chars")]
    public static partial void EntrySetWidthChars(nint entry, int chars);

    [LibraryImport(Lib, EntryPoint = "gtk_entry_get_text")]
    public static partial nint EntryGetText(nint entry);

    [LibraryImport(Lib, EntryPoint = "gtk_entry_set_text", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void EntrySetText(nint entry, string text);

    [LibraryImport(Lib, EntryPoint = "gtk_button_new_with_label", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ButtonNewWithLabel(string label);

    [LibraryImport(Lib, EntryPoint = "gtk_notebook_new")]
    public static partial nint NotebookNew();

    [LibraryImport(Lib, EntryPoint = "gtk_notebook_append_page")]
    public static partial int NotebookAppendPage(nint notebook, nint child, nint tabLabel);

    [LibraryImport(Lib, EntryPoint = "gtk_scrolled_window_new")]
    public static partial nint ScrolledWindowNew(nint hadjustment, nint vadjustment);

    [LibraryImport(Lib, EntryPoint = "gtk_scrolled_window_set_policy")]
    public static partial void ScrolledWindowSetPolicy(nint window, int horizontal, int vertical);

    [LibraryImport(Lib, EntryPoint = "gtk_list_store_newv")]
    public static unsafe partial nint ListStoreNewv(int columns, nint* types);

    [LibraryImport(Lib, EntryPoint = "gtk_list_store_append")]
    public static partial void ListStoreAppend(nint store, nint iter);

    [LibraryImport(Lib, EntryPoint = "gtk_list_store_set_valuesv")]
    public static unsafe partial void ListStoreSetValuesv(nint store, nint iter, int* columns, nint values, int count);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_new_with_model")]
    public static partial nint TreeViewNewWithModel(nint model);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_append_column")]
    public static partial int TreeViewAppendColumn(nint treeView, nint column);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_get_selection")]
    public static partial nint TreeViewGetSelection(nint treeView);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_selection_get_selected_rows")]
    public static partial nint TreeSelectionGetSelectedRows(nint selection, nint model);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_column_new")]
    public static partial nint TreeViewColumnNew();

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_column_set_title", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void TreeViewColumnSetTitle(nint column, string title);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_column_set_resizable")]
    public static partial void TreeViewColumnSetResizable(nint column, [MarshalAs(UnmanagedType.I4)] bool resizable);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_column_pack_start")]
    public static partial void TreeViewColumnPackStart(nint column, nint renderer, [MarshalAs(UnmanagedType.I4)] bool expand);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_view_column_add_attribute", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void TreeViewColumnAddAttribute(nint column, nint renderer, string attribute, int index);

    [LibraryImport(Lib, EntryPoint = "gtk_cell_renderer_text_new")]
    public static partial nint CellRendererTextNew();

    [LibraryImport(Lib, EntryPoint = "gtk_tree_path_get_indices")]
    public static partial nint TreePathGetIndices(nint path);

    [LibraryImport(Lib, EntryPoint = "gtk_tree_path_free")]
    public static partial void TreePathFree(nint path);

    [LibraryImport(Lib, EntryPoint = "gtk_dialog_new")]
    public static partial nint DialogNew();

    [LibraryImport(Lib, EntryPoint = "gtk_dialog_add_button", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DialogAddButton(nint dialog, string text, int responseId);

    [LibraryImport(Lib, EntryPoint = "gtk_dialog_get_content_area")]
    public static partial nint DialogGetContentArea(nint dialog);

    [LibraryImport(Lib, EntryPoint = "gtk_dialog_set_default_response")]
    public static partial void DialogSetDefaultResponse(nint dialog, int responseId);
}
