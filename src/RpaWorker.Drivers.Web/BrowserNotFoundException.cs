namespace RpaWorker.Drivers.Web;

/// <summary>No Chromium to run: neither Playwright's own build nor a system package is installed.</summary>
public sealed class BrowserNotFoundException : RpaWorkerException
{
    /// <summary>Creates the exception with a message that says what to install.</summary>
    public BrowserNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception with a message that says what to install and the launch failure.</summary>
    public BrowserNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}
