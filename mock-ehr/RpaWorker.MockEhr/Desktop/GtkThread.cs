using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RpaWorker.MockEhr.Desktop;

/// <summary>
/// The one thread that owns GTK: it initialises GTK, runs the main loop, and runs every piece of widget work that
/// other threads hand it through <see cref="InvokeAsync{T}"/>. GTK is not thread-safe and can be initialised only
/// once per process, so there is one of these per process.
/// </summary>
internal sealed class GtkThread
{
    private static readonly Lock Gate = new();
    private static GtkThread? _instance;

    private readonly ConcurrentQueue<Action> _work = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;

    private GtkThread(string programName)
    {
        ProgramName = programName;
        _thread = new Thread(() => Run(programName)) { IsBackground = true, Name = "gtk-main" };
        _thread.Start();
    }

    /// <summary>The process's GTK thread, started on first use with <paramref name="programName"/> as its program name.</summary>
    /// <exception cref="MockEhrDesktopException">GTK cannot start (no display) or was started under another name.</exception>
    public static async Task<GtkThread> GetAsync(string programName)
    {
        GtkThread thread;
        lock (Gate)
        {
            if (_instance is not null && _instance.ProgramName != programName)
            {
                throw new MockEhrDesktopException(
                    $"GTK already runs in this process as '{_instance.ProgramName}'; one process shows one application name.");
            }
            thread = _instance ??= new GtkThread(programName);
        }
        await thread._started.Task.ConfigureAwait(false);
        return thread;
    }

    /// <summary>The program name GTK was started with: the application's name over AT-SPI.</summary>
    public string ProgramName { get; }

    /// <summary>True on the GTK thread itself.</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>Runs <paramref name="work"/> on the GTK thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the GTK thread.</summary>
    public Task InvokeAsync(Action work) => InvokeAsync(() =>
    {
        work();
        return true;
    });

    /// <summary>Queues <paramref name="work"/> for the GTK thread; exceptions there are the caller's to catch.</summary>
    public unsafe void Post(Action work)
    {
        _work.Enqueue(work);
        // g_idle_add is the one GLib call that is safe from any thread: it wakes the main loop, which drains the queue.
        Glib.IdleAdd(&OnIdle, GCHandle.ToIntPtr(_self));
    }

    private GCHandle _self;

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OnIdle(nint data)
    {
        var thread = (GtkThread)GCHandle.FromIntPtr(data).Target!;
        while (thread._work.TryDequeue(out var work))
        {
            work();
        }
        return 0; // G_SOURCE_REMOVE: each Post adds its own idle source.
    }

    private void Run(string programName)
    {
        _self = GCHandle.Alloc(this);
        try
        {
            // The program name is what AT-SPI clients see as the application's name, so set it before GTK starts.
            Glib.SetPrgname(programName);
            Glib.SetApplicationName(programName);
            if (!Gtk.InitCheck(0, 0))
            {
                var display = Environment.GetEnvironmentVariable("DISPLAY");
                _started.SetException(new MockEhrDesktopException(string.IsNullOrEmpty(display)
                    ? "GTK cannot start: DISPLAY is not set (run under an X server, e.g. xvfb-run -a)."
                    : $"GTK cannot start: cannot open display '{display}'."));
                return;
            }
        }
        catch (DllNotFoundException ex)
        {
            _started.SetException(new MockEhrDesktopException("GTK 3 is not installed (Debian package libgtk-3-0): " + ex.Message, ex));
            return;
        }
        _started.SetResult();
        Gtk.Main();
    }
}
