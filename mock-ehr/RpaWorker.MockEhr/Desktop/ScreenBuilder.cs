using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RpaWorker.MockEhr.Desktop;

/// <summary>
/// Builds one screen's widgets on the GTK thread and keeps its signal handlers alive until the screen is torn
/// down. Accessible names are set only where the builder is told to, the way real desktop EHRs do it: some
/// widgets are named, some only have a label next to them (<see cref="LabelFor"/>), some nothing at all.
/// </summary>
internal sealed class ScreenBuilder : IDisposable
{
    private readonly List<GCHandle> _handlers = [];

    public static nint Label(string text, float xalign = 0)
    {
        var label = Gtk.LabelNew(text);
        Gtk.LabelSetXalign(label, xalign);
        return label;
    }

    /// <summary>A bold label used as a section heading.</summary>
    public static nint Heading(string text)
    {
        var label = Label(text);
        Gtk.LabelSetMarkup(label, "<b>" + Escape(text) + "</b>");
        return label;
    }

    /// <summary>A label that says which widget it labels: AT-SPI then reports a LabelledBy relation on the widget.</summary>
    public static nint LabelFor(string text, nint widget)
    {
        var label = Label(text, 1);
        Gtk.LabelSetMnemonicWidget(label, widget);
        return label;
    }

    public static nint Entry(int widthChars, string? accessibleId = null, bool secret = false)
    {
        var entry = Gtk.EntryNew();
        Gtk.EntrySetWidthChars(entry, widthChars);
        Gtk.EntrySetActivatesDefault(entry, true);
        if (secret)
        {
            Gtk.EntrySetVisibility(entry, false);
        }
        if (accessibleId is not null)
        {
            Atk.SetAccessibleId(Gtk.WidgetGetAccessible(entry), accessibleId);
        }
        return entry;
    }

    public static string EntryText(nint entry) => Marshal.PtrToStringUTF8(Gtk.EntryGetText(entry)) ?? "";

    /// <summary>Gives <paramref name="widget"/> an accessible name (and description) of its own.</summary>
    public static nint Named(nint widget, string name, string? description = null)
    {
        var accessible = Gtk.WidgetGetAccessible(widget);
        Atk.SetName(accessible, name);
        if (description is not null)
        {
            Atk.SetDescription(accessible, description);
        }
        return widget;
    }

    public static nint Box(int orientation, int spacing, params nint[] children)
    {
        var box = Gtk.BoxNew(orientation, spacing);
        foreach (var child in children)
        {
            Gtk.BoxPackStart(box, child, false, false, 0);
        }
        return box;
    }

    /// <summary>A two-column grid of label/value pairs (label right-aligned, value left-aligned).</summary>
    public static nint Form(IEnumerable<(nint Label, nint Value)> rows, int rowSpacing = 4)
    {
        var grid = Gtk.GridNew();
        Gtk.GridSetRowSpacing(grid, (uint)rowSpacing);
        Gtk.GridSetColumnSpacing(grid, 8);
        var top = 0;
        foreach (var (label, value) in rows)
        {
            Gtk.GridAttach(grid, label, 0, top, 1, 1);
            Gtk.GridAttach(grid, value, 1, top, 1, 1);
            top++;
        }
        return grid;
    }

    /// <summary>Widgets in one row of a grid, left to right.</summary>
    public static nint Row(params nint[] cells)
    {
        var grid = Gtk.GridNew();
        Gtk.GridSetColumnSpacing(grid, 6);
        for (var i = 0; i < cells.Length; i++)
        {
            Gtk.GridAttach(grid, cells[i], i, 0, 1, 1);
        }
        return grid;
    }

    public unsafe nint Button(string text, Action onClick)
    {
        var button = Gtk.ButtonNewWithLabel(text);
        Connect(button, "clicked", (nint)(delegate* unmanaged[Cdecl]<nint, nint, void>)&OnSignal, onClick);
        return button;
    }

    /// <summary>Runs <paramref name="action"/> when Enter is pressed in <paramref name="entry"/>.</summary>
    public unsafe void OnActivate(nint entry, Action action) =>
        Connect(entry, "activate", (nint)(delegate* unmanaged[Cdecl]<nint, nint, void>)&OnSignal, action);

    public unsafe void OnDestroy(nint widget, Action action) =>
        Connect(widget, "destroy", (nint)(delegate* unmanaged[Cdecl]<nint, nint, void>)&OnSignal, action);

    /// <summary>Runs <paramref name="action"/> with the response id when a dialog answers.</summary>
    public unsafe void OnResponse(nint dialog, Action<int> action) =>
        Connect(dialog, "response", (nint)(delegate* unmanaged[Cdecl]<nint, int, nint, void>)&OnResponseSignal, action);

    /// <summary>
    /// A list view (GtkTreeView over a list store of strings) inside a scrolled window. AT-SPI exposes it as a
    /// table with column headers, cells and row selection. <paramref name="onRowActivated"/> gets the row index
    /// on a double-click, Enter, or an accessible "activate" of a cell.
    /// </summary>
    public unsafe (nint Scroller, nint TreeView) Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows,
        int height, Action<int>? onRowActivated = null)
    {
        var types = stackalloc nint[headers.Count];
        var columns = stackalloc int[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            types[i] = GObject.TypeString;
            columns[i] = i;
        }
        var store = Gtk.ListStoreNewv(headers.Count, types);
        // A GtkTreeIter is four pointer-sized fields; a GValue is a type word and two 8-byte data words.
        var iter = NativeMemory.AllocZeroed(32);
        var values = (byte*)NativeMemory.AllocZeroed((nuint)(24 * headers.Count));
        try
        {
            foreach (var row in rows)
            {
                Gtk.ListStoreAppend(store, (nint)iter);
                for (var i = 0; i < headers.Count; i++)
                {
                    var value = (nint)(values + (24 * i));
                    GObject.ValueInit(value, GObject.TypeString);
                    GObject.ValueSetString(value, i < row.Count ? row[i] : "");
                }
                Gtk.ListStoreSetValuesv(store, (nint)iter, columns, (nint)values, headers.Count);
                for (var i = 0; i < headers.Count; i++)
                {
                    GObject.ValueUnset((nint)(values + (24 * i)));
                }
            }
        }
        finally
        {
            NativeMemory.Free(iter);
            NativeMemory.Free(values);
        }
        var view = Gtk.TreeViewNewWithModel(store);
        for (var i = 0; i < headers.Count; i++)
        {
            var column = Gtk.TreeViewColumnNew();
            Gtk.TreeViewColumnSetTitle(column, headers[i]);
            Gtk.TreeViewColumnSetResizable(column, true);
            var renderer = Gtk.CellRendererTextNew();
            Gtk.TreeViewColumnPackStart(column, renderer, true);
            Gtk.TreeViewColumnAddAttribute(column, renderer, "text", i);
            Gtk.TreeViewAppendColumn(view, column);
        }
        if (onRowActivated is not null)
        {
            Connect(view, "row-activated", (nint)(delegate* unmanaged[Cdecl]<nint, nint, nint, nint, void>)&OnRowActivatedSignal, onRowActivated);
        }
        var scroller = Gtk.ScrolledWindowNew(0, 0);
        Gtk.ScrolledWindowSetPolicy(scroller, Gtk.PolicyAutomatic, Gtk.PolicyAutomatic);
        Gtk.WidgetSetSizeRequest(scroller, -1, height);
        Gtk.ContainerAdd(scroller, view);
        return (scroller, view);
    }

    /// <summary>The index of the first selected row of a list view, or null.</summary>
    public static int? SelectedRow(nint treeView)
    {
        var list = Gtk.TreeSelectionGetSelectedRows(Gtk.TreeViewGetSelection(treeView), 0);
        if (list == 0)
        {
            return null;
        }
        int? index = null;
        // GList: data, next, prev.
        for (var node = list; node != 0; node = Marshal.ReadIntPtr(node, nint.Size))
        {
            var path = Marshal.ReadIntPtr(node);
            index ??= Marshal.ReadInt32(Gtk.TreePathGetIndices(path));
            Gtk.TreePathFree(path);
        }
        Glib.ListFree(list);
        return index;
    }

    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var handle in _handlers)
        {
            handle.Free();
        }
        _handlers.Clear();
    }

    private void Connect(nint instance, string signal, nint callback, Delegate action)
    {
        var handle = GCHandle.Alloc(action);
        _handlers.Add(handle);
        GObject.SignalConnectData(instance, signal, callback, GCHandle.ToIntPtr(handle), 0, 0);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSignal(nint instance, nint data) => Guard(() => ((Action)GCHandle.FromIntPtr(data).Target!)());

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnResponseSignal(nint instance, int response, nint data) =>
        Guard(() => ((Action<int>)GCHandle.FromIntPtr(data).Target!)(response));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRowActivatedSignal(nint instance, nint path, nint column, nint data) =>
        Guard(() => ((Action<int>)GCHandle.FromIntPtr(data).Target!)(Marshal.ReadInt32(Gtk.TreePathGetIndices(path))));

    // An exception must not unwind into GTK's C frames: that would take the process down without a word.
    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"mock EHR desktop: a screen handler failed: {ex.GetType().Name}{Environment.NewLine}{ex.StackTrace}");
        }
    }
}
