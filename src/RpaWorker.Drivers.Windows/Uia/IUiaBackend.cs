using RpaWorker.Ui;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>A top-level window on the desktop, as the window list shows it.</summary>
/// <param name="Element">The live element, for <see cref="IUiaBackend.Snapshot"/>.</param>
/// <param name="ProcessId">The process that owns it.</param>
/// <param name="ProcessName">That process's name, without <c>.exe</c>; empty when it could not be read.</param>
/// <param name="Title">The window title. Chart windows name the patient: match on it, never log it.</param>
internal sealed record UiaTopLevel(object Element, int ProcessId, string ProcessName, string Title);

/// <summary>How an action on an element went.</summary>
internal enum UiaOutcome
{
    /// <summary>Done.</summary>
    Done,
    /// <summary>The element has no pattern for the action.</summary>
    Unsupported,
    /// <summary>The element refused (read-only, disabled, not expandable now).</summary>
    Refused,
    /// <summary>
    /// The action was sent and has not returned: the application is running a modal loop it started (a dialog
    /// opened from the click). The screen tells what happened.
    /// </summary>
    Pending,
}

/// <summary>
/// What the UI Automation session needs from the machine: the COM client on Windows; a scripted screen in tests.
/// Calls are synchronous and quick; an element that went away throws <see cref="UiaElementUnavailableException"/>.
/// </summary>
internal interface IUiaBackend : IDisposable
{
    /// <summary>The desktop's top-level windows.</summary>
    IReadOnlyList<UiaTopLevel> TopLevelWindows();

    /// <summary>The given windows with everything in them.</summary>
    UiaSnapshot Snapshot(IReadOnlyList<UiaTopLevel> windows);

    /// <summary>Invokes, toggles, selects or expands the element, whichever it supports, in that order.</summary>
    UiaOutcome Click(UiaNode node);

    /// <summary>Replaces the element's value.</summary>
    UiaOutcome SetText(UiaNode node, string text);

    /// <summary>Selects the item (a tab, a list or combo box item, a row).</summary>
    UiaOutcome Select(UiaNode item);

    /// <summary>Expands or collapses the element (a combo box's list).</summary>
    UiaOutcome Expand(UiaNode node, bool expand);

    /// <summary>The element's text now: an input's value, else its name (value when it has no name).</summary>
    string ReadText(UiaNode node);

    /// <summary>The element's cells through its Grid pattern (headers from its Table pattern), or null without one.</summary>
    UiTable? ReadGrid(UiaNode node);

    /// <summary>Presses the key, after giving <paramref name="focus"/> the keyboard focus, else bringing <paramref name="window"/> to the front.</summary>
    UiaOutcome Press(UiaKey key, UiaNode? focus, UiaNode? window);

    /// <summary>A PNG of the window.</summary>
    byte[] Screenshot(UiaNode window);
}

/// <summary>An element went away between the snapshot and the call (the screen changed); look it up again.</summary>
internal sealed class UiaElementUnavailableException(Exception inner) : RpaWorkerException("the element is no longer available", inner);

/// <summary>UI Automation cannot be used here: not Windows, or the COM client did not start.</summary>
public sealed class UiaUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception.</summary>
    public UiaUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public UiaUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
