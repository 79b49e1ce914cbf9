using System.Globalization;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>A key to press: a Windows virtual-key code, or a character typed as itself.</summary>
internal readonly record struct UiaKey(ushort VirtualKey, char Character)
{
    /// <summary>The key a playbook names (Enter, Tab, Escape, arrows, F1-F12, or one character), or null.</summary>
    public static UiaKey? Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ushort? vk = key.ToLowerInvariant() switch
        {
            "enter" or "return" => 0x0D,
            "tab" => 0x09,
            "escape" or "esc" => 0x1B,
            "space" => 0x20,
            "backspace" => 0x08,
            "delete" => 0x2E,
            "home" => 0x24,
            "end" => 0x23,
            "pageup" => 0x21,
            "pagedown" => 0x22,
            "arrowleft" or "left" => 0x25,
            "arrowup" or "up" => 0x26,
            "arrowright" or "right" => 0x27,
            "arrowdown" or "down" => 0x28,
            ['f', .. var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f is >= 1 and <= 12 => (ushort)(0x70 + f - 1),
            _ => null,
        };
        if (vk is { } code)
        {
            return new UiaKey(code, '\0');
        }
        return key.Length == 1 ? new UiaKey(0, key[0]) : null;
    }
}
