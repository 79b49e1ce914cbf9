namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>The X display cannot be used: DISPLAY is not set, the server does not answer, or XTest is missing.</summary>
public sealed class DisplayUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception with a message that says what to start or set.</summary>
    public DisplayUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DisplayUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
