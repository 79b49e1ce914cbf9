using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using System.Runtime.Versioning;
using RpaWorker.Drivers.Windows.Uia.Interop;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// The UI Automation COM client (CUIAutomation in UIAutomationCore.dll) behind the session. A snapshot is one
/// BuildUpdatedCache call per window that brings every property the locators need for the whole subtree, so
/// resolving targets costs no further cross-process calls; actions and reads go to the live element.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class ComUiaBackend : IUiaBackend
{
    // UIA_E_ELEMENTNOTAVAILABLE, UIA_E_ELEMENTNOTENABLED, UIA_E_INVALIDOPERATION, UIA_E_TIMEOUT, and the RPC
    // failures of an application that is closing: the element is gone or going, not the client broken.
    private static readonly HashSet<int> Gone =
    [
        unchecked((int)0x80040201), unchecked((int)0x80131505),
        unchecked((int)0x80010108), unchecked((int)0x800706BA), unchecked((int)0x800706BE), unchecked((int)0x80010012),
    ];

    // UIA_E_ELEMENTNOTENABLED and UIA_E_INVALIDOPERATION from a pattern call: the element is there and says no.
    private static readonly HashSet<int> Refusals = [unchecked((int)0x80040200), unchecked((int)0x80131509)];

    // An Invoke that opens a modal dialog does not return until the dialog closes: wait this long, then let it run.
    private static readonly TimeSpan ActionWait = TimeSpan.FromSeconds(1.5);

    private static readonly StrategyBasedComWrappers Wrappers = new();

    private readonly IUIAutomation _uia;
    private readonly IUIAutomationCacheRequest _subtree;
    private readonly IUIAutomationCacheRequest _windows;
    private readonly IUIAutomationCondition _all;

    private ComUiaBackend(IUIAutomation uia)
    {
        _uia = uia;
        _all = uia.CreateTrueCondition();
        _windows = uia.CreateCacheRequest();
        _windows.AddProperty(UiaProperty.ProcessId);
        _windows.AddProperty(UiaProperty.Name);
        _subtree = uia.CreateCacheRequest();
        foreach (var property in (int[])[
                     UiaProperty.ControlType, UiaProperty.Name, UiaProperty.AutomationId, UiaProperty.ClassName,
                     UiaProperty.BoundingRectangle, UiaProperty.IsEnabled, UiaProperty.IsOffscreen, UiaProperty.LabeledBy,
                     UiaProperty.NativeWindowHandle, UiaProperty.WindowIsModal, UiaProperty.SelectionItemIsSelected])
        {
            _subtree.AddProperty(property);
        }
        // The default tree filter is the control view: the elements a person can see and use.
        _subtree.put_TreeScope(TreeScope.Subtree);
    }

    /// <summary>Creates the COM client.</summary>
    /// <exception cref="UiaUnavailableException">UIAutomationCore would not start.</exception>
    public static ComUiaBackend Create()
    {
        var hr = Native.CoCreateInstance(Native.ClsidCUIAutomation, 0, Native.ClsctxInprocServer, typeof(IUIAutomation).GUID, out var pointer);
        if (hr < 0)
        {
            throw new UiaUnavailableException($"the UI Automation client (CUIAutomation) could not be created: HRESULT 0x{hr:X8}");
        }
        try
        {
            return new ComUiaBackend(Wrap<IUIAutomation>(pointer));
        }
        finally
        {
            Marshal.Release(pointer);
        }
    }

    public IReadOnlyList<UiaTopLevel> TopLevelWindows() => Call(() =>
    {
        var root = _uia.GetRootElement();
        var found = root.FindAllBuildCache(TreeScope.Children, _all, _windows);
        var result = new List<UiaTopLevel>();
        var names = new Dictionary<int, string>();
        for (var i = 0; i < (found?.get_Length() ?? 0); i++)
        {
            var window = found!.GetElement(i);
            var pid = window.get_CachedProcessId();
            if (!names.TryGetValue(pid, out var name))
            {
                name = ProcessName(pid);
                names[pid] = name;
            }
            result.Add(new UiaTopLevel(window, pid, name, window.get_CachedName() ?? ""));
        }
        return result;
    });

    public UiaSnapshot Snapshot(IReadOnlyList<UiaTopLevel> windows) => Call(() =>
        new UiaSnapshot(windows.Select(w => Build(((IUIAutomationElement)w.Element).BuildUpdatedCache(_subtree))).ToList()));

    public UiaOutcome Click(UiaNode node) => Call(() =>
    {
        var element = Element(node);
        if (Pattern<IUIAutomationInvokePattern>(element, UiaPattern.Invoke) is { } invoke)
        {
            return Bounded(invoke.Invoke);
        }
        if (Pattern<IUIAutomationTogglePattern>(element, UiaPattern.Toggle) is { } toggle)
        {
            return Bounded(toggle.Toggle);
        }
        if (Pattern<IUIAutomationSelectionItemPattern>(element, UiaPattern.SelectionItem) is { } item)
        {
            return Bounded(item.Select);
        }
        if (Pattern<IUIAutomationExpandCollapsePattern>(element, UiaPattern.ExpandCollapse) is { } expand)
        {
            // 0 collapsed, 1 expanded, 2 partly, 3 leaf: a click opens what is closed and closes what is open.
            return Bounded(expand.get_CurrentExpandCollapseState() == 0 ? expand.Expand : expand.Collapse);
        }
        if (Pattern<IUIAutomationLegacyIAccessiblePattern>(element, UiaPattern.LegacyIAccessible) is { } legacy)
        {
            return Bounded(legacy.DoDefaultAction);
        }
        return UiaOutcome.Unsupported;
    });

    public UiaOutcome SetText(UiaNode node, string text) => Call(() =>
    {
        var element = Element(node);
        if (Pattern<IUIAutomationValuePattern>(element, UiaPattern.Value) is { } value)
        {
            if (value.get_CurrentIsReadOnly() != 0)
            {
                return UiaOutcome.Refused;
            }
            return Bounded(() => value.SetValue(text));
        }
        if (Pattern<IUIAutomationLegacyIAccessiblePattern>(element, UiaPattern.LegacyIAccessible) is { } legacy)
        {
            return Bounded(() => legacy.SetValue(text));
        }
        return UiaOutcome.Unsupported;
    });

    public UiaOutcome Select(UiaNode item) => Call(() =>
    {
        var element = Element(item);
        if (Pattern<IUIAutomationSelectionItemPattern>(element, UiaPattern.SelectionItem) is { } selection)
        {
            return Bounded(selection.Select);
        }
        if (Pattern<IUIAutomationInvokePattern>(element, UiaPattern.Invoke) is { } invoke)
        {
            return Bounded(invoke.Invoke);
        }
        if (Pattern<IUIAutomationLegacyIAccessiblePattern>(element, UiaPattern.LegacyIAccessible) is { } legacy)
        {
            // SELFLAG_TAKEFOCUS | SELFLAG_TAKESELECTION
            return Bounded(() => legacy.Select(0x1 | 0x2));
        }
        return UiaOutcome.Unsupported;
    });

    public UiaOutcome Expand(UiaNode node, bool expand) => Call(() =>
    {
        if (Pattern<IUIAutomationExpandCollapsePattern>(Element(node), UiaPattern.ExpandCollapse) is not { } pattern)
        {
            return UiaOutcome.Unsupported;
        }
        return Bounded(expand ? pattern.Expand : pattern.Collapse);
    });

    public string ReadText(UiaNode node) => Call(() => Text(Element(node), node.ControlType));

    public UiTable? ReadGrid(UiaNode node) => Call(() =>
    {
        var element = Element(node);
        if (Pattern<IUIAutomationGridPattern>(element, UiaPattern.Grid) is not { } grid)
        {
            return null;
        }
        var rows = grid.get_CurrentRowCount();
        var columns = grid.get_CurrentColumnCount();
        var body = new List<IReadOnlyList<string>>(rows);
        for (var r = 0; r < rows; r++)
        {
            var row = new string[columns];
            for (var c = 0; c < columns; c++)
            {
                row[c] = grid.GetItem(r, c) is { } cell ? UiaSnapshot.Fold(Text(cell, cell.get_CurrentControlType())) : "";
            }
            body.Add(row);
        }
        var headers = new List<string>();
        if (Pattern<IUIAutomationTablePattern>(element, UiaPattern.Table) is { } table && table.GetCurrentColumnHeaders() is { } cells)
        {
            for (var i = 0; i < cells.get_Length(); i++)
            {
                headers.Add(UiaSnapshot.Fold(cells.GetElement(i).get_CurrentName() ?? ""));
            }
        }
        return new UiTable(headers.All(h => h.Length == 0) ? [] : headers, body);
    });

    public UiaOutcome Press(UiaKey key, UiaNode? focus, UiaNode? window) => Call(() =>
    {
        if (focus is not null)
        {
            Element(focus).SetFocus();
        }
        else if (window is { WindowHandle: not 0 } w)
        {
            Native.SetForegroundWindow(w.WindowHandle);
        }
        var inputs = key.VirtualKey != 0
            ? new[] { KeyInput(key.VirtualKey, '\0', 0), KeyInput(key.VirtualKey, '\0', Native.KeyEventKeyUp) }
            : [KeyInput(0, key.Character, Native.KeyEventUnicode), KeyInput(0, key.Character, Native.KeyEventUnicode | Native.KeyEventKeyUp)];
        return Native.SendInput((uint)inputs.Length, inputs, Marshal.SizeOf<Native.Input>()) == inputs.Length ? UiaOutcome.Done : UiaOutcome.Refused;
    });

    public unsafe byte[] Screenshot(UiaNode window)
    {
        var handle = window.WindowHandle != 0 ? window.WindowHandle : Call(() => Element(window).get_CurrentNativeWindowHandle());
        if (handle == 0 || !Native.GetWindowRect(handle, out var rect) || rect.Right <= rect.Left || rect.Bottom <= rect.Top)
        {
            throw new UiaUnavailableException("the window has no handle or no area to capture");
        }
        var (width, height) = (rect.Right - rect.Left, rect.Bottom - rect.Top);
        var screen = Native.GetDC(0);
        var dc = Native.CreateCompatibleDC(screen);
        var header = new Native.BitmapInfoHeader
        {
            Size = (uint)sizeof(Native.BitmapInfoHeader), Width = width, Height = -height, Planes = 1, BitCount = 32,
        };
        var bitmap = Native.CreateDIBSection(screen, header, 0, out var bits, 0, 0);
        try
        {
            if (bitmap == 0)
            {
                throw new UiaUnavailableException("no bitmap could be made for the window capture");
            }
            var old = Native.SelectObject(dc, bitmap);
            var printed = Native.PrintWindow(handle, dc, Native.PrintWindowFullContent);
            Native.SelectObject(dc, old);
            if (!printed)
            {
                throw new UiaUnavailableException("the window could not be captured (PrintWindow failed)");
            }
            var pixels = new ReadOnlySpan<byte>((void*)bits, width * height * 4).ToArray();
            return Png.Encode(new ScreenImage(width, height, pixels));
        }
        finally
        {
            if (bitmap != 0)
            {
                Native.DeleteObject(bitmap);
            }
            Native.DeleteDC(dc);
            Native.ReleaseDC(0, screen);
        }
    }

    public void Dispose()
    {
        // The COM objects are released by their wrappers' finalizers; nothing here holds a window or a handle.
    }

    private UiaNode Build(IUIAutomationElement element)
    {
        var rect = element.get_CachedBoundingRectangle();
        var node = new UiaNode
        {
            Element = element,
            ControlType = element.get_CachedControlType(),
            Name = element.get_CachedName() ?? "",
            AutomationId = element.get_CachedAutomationId() ?? "",
            ClassName = element.get_CachedClassName() ?? "",
            LabeledBy = element.get_CachedLabeledBy() is { } label ? label.get_CurrentName() ?? "" : "",
            Bounds = new UiaBounds(rect.Left, rect.Top, Math.Max(0, rect.Right - rect.Left), Math.Max(0, rect.Bottom - rect.Top)),
            Enabled = element.get_CachedIsEnabled() != 0,
            Offscreen = element.get_CachedIsOffscreen() != 0,
            Modal = CachedBool(element, UiaProperty.WindowIsModal),
            Selected = CachedBool(element, UiaProperty.SelectionItemIsSelected),
            WindowHandle = element.get_CachedNativeWindowHandle(),
        };
        if (element.GetCachedChildren() is { } children)
        {
            for (var i = 0; i < children.get_Length(); i++)
            {
                node.Add(Build(children.GetElement(i)));
            }
        }
        return node;
    }

    /// <summary>An input's value (Value, then Text, then the legacy value), else the name; the value when there is no name.</summary>
    private static string Text(IUIAutomationElement element, int controlType)
    {
        if (UiaControlType.IsInput(controlType) && controlType is not (UiaControlType.CheckBox or UiaControlType.RadioButton or UiaControlType.List))
        {
            return Value(element) ?? element.get_CurrentName() ?? "";
        }
        var name = element.get_CurrentName();
        return string.IsNullOrEmpty(name) ? Value(element) ?? "" : name;
    }

    private static string? Value(IUIAutomationElement element)
    {
        if (CurrentString(element, UiaProperty.ValueValue) is { } value)
        {
            return value;
        }
        if (Pattern<IUIAutomationTextPattern>(element, UiaPattern.Text) is { } text)
        {
            return text.get_DocumentRange().GetText(-1);
        }
        return CurrentString(element, UiaProperty.LegacyIAccessibleValue);
    }

    private static string? CurrentString(IUIAutomationElement element, int property)
    {
        var value = element.GetCurrentPropertyValue(property);
        try
        {
            return value.VarType == VarEnum.VT_BSTR ? value.As<string>() : null;
        }
        finally
        {
            value.Dispose();
        }
    }

    private static bool CachedBool(IUIAutomationElement element, int property)
    {
        var value = element.GetCachedPropertyValue(property);
        try
        {
            // A property the element does not support comes back as the "not supported" object, not a VT_BOOL.
            return value.VarType == VarEnum.VT_BOOL && value.GetRawDataRef<short>() != 0;
        }
        finally
        {
            value.Dispose();
        }
    }

    private static T? Pattern<T>(IUIAutomationElement element, int patternId) where T : class
    {
        var pointer = element.GetCurrentPatternAs(patternId, typeof(T).GUID);
        if (pointer == 0)
        {
            return null;
        }
        try
        {
            return Wrap<T>(pointer);
        }
        finally
        {
            Marshal.Release(pointer);
        }
    }

    private static T Wrap<T>(nint pointer) => (T)Wrappers.GetOrCreateObjectForComInstance(pointer, CreateObjectFlags.None);

    private static IUIAutomationElement Element(UiaNode node) => (IUIAutomationElement)node.Element;

    private static Native.Input KeyInput(ushort virtualKey, char character, uint flags) => new()
    {
        Type = Native.InputKeyboard,
        Union = new Native.InputUnion { Keyboard = new Native.KeyboardInput { VirtualKey = virtualKey, Scan = character, Flags = flags } },
    };

    private static string ProcessName(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    /// <summary>
    /// Runs a pattern call that may not return while the application shows a modal dialog it opened: waits
    /// <see cref="ActionWait"/>, then reports it pending and lets it finish on its own.
    /// </summary>
    private static UiaOutcome Bounded(Action action)
    {
        var call = Task.Run(action);
        try
        {
            if (!call.Wait(ActionWait))
            {
                _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                return UiaOutcome.Pending;
            }
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner && Refusals.Contains(inner.HResult))
        {
            return UiaOutcome.Refused;
        }
        return UiaOutcome.Done;
    }

    private static T Call<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner && Gone.Contains(inner.HResult))
        {
            throw new UiaElementUnavailableException(inner);
        }
        catch (Exception ex) when (ex is not RpaWorkerException && Gone.Contains(ex.HResult))
        {
            throw new UiaElementUnavailableException(ex);
        }
    }
}
