using static RpaWorker.Drivers.Desktop.Pixel.X11.X11Native;

namespace RpaWorker.Drivers.Desktop.Pixel.X11;

/// <summary>
/// Mouse and keyboard input through the XTest extension. Characters the keyboard map has no key for (é on a US map)
/// are typed by binding a spare key code to them for the moment, as xdotool does.
/// </summary>
internal sealed unsafe class XTestInputSink(X11Display display) : IInputSink
{
    private const uint LeftButton = 1;
    // X11 reports the wheel as buttons 4 (up) and 5 (down), one press and release a notch.
    private const uint WheelUp = 4;
    private const uint WheelDown = 5;
    // Server-side pause (ms) before a button press, so the application has seen the pointer arrive: menus and links
    // that react to hover ignore a press that comes with the motion.
    private const ulong PressDelayMs = 20;

    private static readonly Dictionary<string, string> KeyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Enter"] = "Return", ["Return"] = "Return", ["Tab"] = "Tab", ["Escape"] = "Escape", ["Esc"] = "Escape",
        ["Backspace"] = "BackSpace", ["Delete"] = "Delete", ["Insert"] = "Insert", ["Home"] = "Home", ["End"] = "End",
        ["PageUp"] = "Prior", ["PageDown"] = "Next", ["ArrowUp"] = "Up", ["ArrowDown"] = "Down", ["ArrowLeft"] = "Left",
        ["ArrowRight"] = "Right", ["Up"] = "Up", ["Down"] = "Down", ["Left"] = "Left", ["Right"] = "Right", ["Space"] = "space",
        ["Control"] = "Control_L", ["Ctrl"] = "Control_L", ["Shift"] = "Shift_L", ["Alt"] = "Alt_L", ["Meta"] = "Super_L",
    };

    public Task MoveAsync(int x, int y, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        display.Run(d => XTestFakeMotionEvent(d, display.Screen, x, y, 0), out _);
        return Task.CompletedTask;
    }

    public Task ClickAsync(int x, int y, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        cancellationToken.ThrowIfCancellationRequested();
        display.Run(d =>
        {
            XTestFakeMotionEvent(d, display.Screen, x, y, 0);
            for (var i = 0; i < count; i++)
            {
                XTestFakeButtonEvent(d, LeftButton, 1, i == 0 ? PressDelayMs : 0);
                XTestFakeButtonEvent(d, LeftButton, 0, 0);
            }
            return 0;
        }, out _);
        return Task.CompletedTask;
    }

    public Task<bool> ScrollAsync(int x, int y, int clicks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        display.Run(d =>
        {
            XTestFakeMotionEvent(d, display.Screen, x, y, 0);
            var button = clicks > 0 ? WheelDown : WheelUp;
            for (var i = 0; i < Math.Abs(clicks); i++)
            {
                XTestFakeButtonEvent(d, button, 1, i == 0 ? PressDelayMs : 0);
                XTestFakeButtonEvent(d, button, 0, 0);
            }
            return 0;
        }, out _);
        return Task.FromResult(true);
    }

    public Task<bool> TypeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        var keysyms = new List<ulong>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text[i], text[++i]) : text[i];
            keysyms.Add(KeysymOf(codePoint));
        }
        var ok = display.Run(d =>
        {
            foreach (var keysym in keysyms)
            {
                if (!Tap(d, keysym, []))
                {
                    return false;
                }
            }
            return true;
        }, out _);
        return Task.FromResult(ok);
    }

    public Task<bool> PressAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        // "Control+a", and "+" or "Control++" for the plus key itself.
        var parts = key.Length > 1 && key.EndsWith("++", StringComparison.Ordinal)
            ? [.. key[..^2].Split('+'), "+"]
            : key == "+" ? ["+"] : key.Split('+');
        if (parts.Any(string.IsNullOrWhiteSpace))
        {
            return Task.FromResult(false);
        }
        var ok = display.Run(d =>
        {
            var modifiers = new List<ulong>();
            foreach (var name in parts[..^1])
            {
                var m = NamedKeysym(name);
                if (m == 0)
                {
                    return false;
                }
                modifiers.Add(m);
            }
            var main = NamedKeysym(parts[^1]);
            return main != 0 && Tap(d, main, modifiers);
        }, out _);
        return Task.FromResult(ok);
    }

    private static ulong NamedKeysym(string name)
    {
        if (KeyNames.TryGetValue(name, out var x11Name))
        {
            return XStringToKeysym(x11Name);
        }
        if (name.Length == 1 || (name.Length == 2 && char.IsSurrogatePair(name, 0)))
        {
            return KeysymOf(char.ConvertToUtf32(name, 0));
        }
        // Any X keysym name: F5, KP_Enter, Menu.
        return XStringToKeysym(name);
    }

    /// <summary>The X keysym of a character: Latin-1 keysyms equal the code point; others are 0x01000000 + code point.</summary>
    private static ulong KeysymOf(int codePoint) => codePoint switch
    {
        '\n' or '\r' => XStringToKeysym("Return"),
        '\t' => XStringToKeysym("Tab"),
        >= 0x20 and <= 0x7E or >= 0xA0 and <= 0xFF => (ulong)codePoint,
        _ => 0x01000000UL | (uint)codePoint,
    };

    /// <summary>Presses the modifiers, taps the key (with Shift when the key map puts it on the shifted level), releases.</summary>
    private bool Tap(nint d, ulong keysym, IReadOnlyList<ulong> modifiers)
    {
        var modifierCodes = modifiers.Select(m => (uint)XKeysymToKeycode(d, m)).ToList();
        if (modifierCodes.Contains(0u))
        {
            return false;
        }
        var code = (uint)XKeysymToKeycode(d, keysym);
        var shifted = false;
        var spare = 0;
        if (code != 0 && XkbKeycodeToKeysym(d, code, 0, 0) != keysym)
        {
            shifted = XkbKeycodeToKeysym(d, code, 0, 1) == keysym;
            if (!shifted)
            {
                code = 0;
            }
        }
        if (code == 0)
        {
            spare = BindSpareKeycode(d, keysym);
            if (spare == 0)
            {
                return false;
            }
            code = (uint)spare;
        }
        if (shifted)
        {
            modifierCodes.Add(XKeysymToKeycode(d, XStringToKeysym("Shift_L")));
        }
        foreach (var m in modifierCodes)
        {
            XTestFakeKeyEvent(d, m, 1, 0);
        }
        XTestFakeKeyEvent(d, code, 1, 0);
        XTestFakeKeyEvent(d, code, 0, 0);
        for (var i = modifierCodes.Count - 1; i >= 0; i--)
        {
            XTestFakeKeyEvent(d, modifierCodes[i], 0, 0);
        }
        if (spare != 0)
        {
            // The application must read the key event before the binding goes, or it would see a key with no symbol.
            XSync(d, 0);
            Thread.Sleep(20);
            ulong none = 0;
            XChangeKeyboardMapping(d, spare, 1, &none, 1);
        }
        return true;
    }

    /// <summary>Binds <paramref name="keysym"/> to the highest key code that has no symbol; 0 when none is free.</summary>
    private static int BindSpareKeycode(nint d, ulong keysym)
    {
        XDisplayKeycodes(d, out var min, out var max);
        var map = XGetKeyboardMapping(d, (byte)min, max - min + 1, out var perCode);
        if (map is null)
        {
            return 0;
        }
        try
        {
            for (var code = max; code >= min; code--)
            {
                var free = true;
                for (var level = 0; level < perCode && free; level++)
                {
                    free = map[(code - min) * perCode + level] == 0;
                }
                if (free)
                {
                    var symbols = stackalloc ulong[] { keysym };
                    XChangeKeyboardMapping(d, code, 1, symbols, 1);
                    XSync(d, 0);
                    // Applications pick the new mapping up from a MappingNotify event; give them a moment.
                    Thread.Sleep(20);
                    return code;
                }
            }
            return 0;
        }
        finally
        {
            XFree(map);
        }
    }
}
