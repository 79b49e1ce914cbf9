using Tmds.DBus.Protocol;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>An accessible object on the accessibility bus: the application's bus name and the object's path.</summary>
internal readonly record struct AtRef(string Bus, string Path)
{
    public const string NullPath = "/org/a11y/atspi/null";

    public bool IsNull => Path == NullPath || Bus.Length == 0;
}

/// <summary>One entry of an object's relation set.</summary>
internal readonly record struct AtRelation(uint Type, IReadOnlyList<AtRef> Targets);

/// <summary>
/// The AT-SPI 2 protocol over D-Bus, written out by hand (Tmds.DBus.Protocol is a message-level library): the
/// accessibility bus found through org.a11y.Bus on the session bus, and the calls of the org.a11y.atspi
/// interfaces the driver uses. Calls are independent tasks, so callers pipeline them by starting many before
/// awaiting any.
/// </summary>
internal sealed class AtSpiBus : IDisposable
{
    public const string AccessibleInterface = "org.a11y.atspi.Accessible";
    public const string RootPath = "/org/a11y/atspi/accessible/root";
    public const string Registry = "org.a11y.atspi.Registry";

    // AtspiRelationType and AtspiStateType values (at-spi2-core's atspi-constants.h).
    public const uint RelationLabelFor = 1;
    public const uint RelationLabelledBy = 2;
    public const int StateDefunct = 6;
    public const int StateEnabled = 8;
    public const int StateFocused = 12;
    public const int StateModal = 16;
    public const int StateSelected = 23;
    public const int StateSensitive = 24;
    public const int StateShowing = 25;
    public const int StateVisible = 30;
    public const int StateManagesDescendants = 31;
    // GTK's bridge (at-spi2-atk) compares a match rule's roles with ATK's role numbers, where a table cell is 55;
    // AT-SPI's own numbering (GetRole) calls it 56.
    private const int AtkRoleTableCell = 55;

    private readonly DBusConnection _connection;

    private AtSpiBus(DBusConnection connection) => _connection = connection;

    /// <summary>
    /// Connects to the accessibility bus of the session bus at <paramref name="sessionBus"/> (default: the one in
    /// DBUS_SESSION_BUS_ADDRESS).
    /// </summary>
    /// <exception cref="AtSpiUnavailableException">No session bus, or no accessibility bus on it.</exception>
    public static async Task<AtSpiBus> ConnectAsync(string? sessionBus, CancellationToken cancellationToken)
    {
        var session = sessionBus ?? Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
        if (string.IsNullOrEmpty(session))
        {
            throw new AtSpiUnavailableException(
                "DBUS_SESSION_BUS_ADDRESS is not set: AT-SPI needs a session bus (run under dbus-run-session).");
        }
        string address;
        try
        {
            using var bus = new DBusConnection(session);
            await bus.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            address = await bus.CallMethodAsync(Write(bus, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress"),
                (m, _) => m.GetBodyReader().ReadString()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusExceptionBase ex)
        {
            throw new AtSpiUnavailableException(
                "The session bus has no accessibility bus (org.a11y.Bus): is at-spi2-core installed? " + ex.Message, ex);
        }
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DBusExceptionBase ex)
        {
            connection.Dispose();
            throw new AtSpiUnavailableException("Cannot connect to the accessibility bus: " + ex.Message, ex);
        }
        return new AtSpiBus(connection);
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The applications registered with the AT-SPI registry (the desktop's children).</summary>
    public Task<List<AtRef>> GetApplicationsAsync() => GetChildrenAsync(new AtRef(Registry, RootPath));

    public Task<List<AtRef>> GetChildrenAsync(AtRef obj) =>
        Call(obj, AccessibleInterface, "GetChildren", ReadRefs);

    public Task<string> GetRoleNameAsync(AtRef obj) =>
        Call(obj, AccessibleInterface, "GetRoleName", (m, _) => m.GetBodyReader().ReadString());

    /// <summary>The 64 state bits (AtspiStateType positions).</summary>
    public Task<ulong> GetStateAsync(AtRef obj) => Call(obj, AccessibleInterface, "GetState", (m, _) =>
    {
        var words = m.GetBodyReader().ReadArrayOfUInt32();
        return (words.Length > 0 ? words[0] : 0UL) | (words.Length > 1 ? (ulong)words[1] << 32 : 0UL);
    });

    public Task<List<AtRelation>> GetRelationSetAsync(AtRef obj) => Call(obj, AccessibleInterface, "GetRelationSet", (m, _) =>
    {
        var reader = m.GetBodyReader();
        var list = new List<AtRelation>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            var type = reader.ReadUInt32();
            list.Add(new AtRelation(type, ReadRefArray(ref reader, m.SenderAsString)));
        }
        return list;
    });

    public Task<string[]> GetInterfacesAsync(AtRef obj) =>
        Call(obj, AccessibleInterface, "GetInterfaces", (m, _) => m.GetBodyReader().ReadArrayOfString());

    /// <summary>Name, Description, Parent, ChildCount and AccessibleId in one call (Properties.GetAll).</summary>
    public Task<Dictionary<string, VariantValue>> GetAccessiblePropertiesAsync(AtRef obj) =>
        CallWith(obj, "org.freedesktop.DBus.Properties", "GetAll", "s", (ref w) => w.WriteString(AccessibleInterface),
            (m, _) => m.GetBodyReader().ReadDictionaryOfStringToVariantValue());

    /// <summary>
    /// Every showing descendant of <paramref name="root"/> in document order, in one call (Collection.GetMatches),
    /// except table cells: GTK lists every cell of a list view (thousands on a long one), and those are read on
    /// demand through the Table interface instead of on every snapshot.
    /// </summary>
    public Task<List<AtRef>> GetShowingDescendantsAsync(AtRef root) =>
        CallWith(root, "org.a11y.atspi.Collection", "GetMatches", "(aiia{ss}iaiiasib)uib", (ref w) =>
        {
            const int matchAll = 1, matchNone = 3;
            w.WriteStructureStart();
            // States and roles travel as bit sets: 2 and 4 32-bit words, bit n of the set in word n / 32.
            w.WriteArray(new[] { 1 << StateShowing, 0 });
            w.WriteInt32(matchAll);
            var attributes = w.WriteDictionaryStart();
            w.WriteDictionaryEnd(attributes);
            w.WriteInt32(matchAll);
            w.WriteArray(new[] { 0, 1 << (AtkRoleTableCell - 32), 0, 0 });
            w.WriteInt32(matchNone);
            w.WriteArray(Array.Empty<string>());
            w.WriteInt32(matchAll);
            w.WriteBool(false);
            w.WriteUInt32(1); // canonical (document) order
            w.WriteInt32(0); // no limit
            w.WriteBool(true); // traverse
        }, ReadRefs);

    public Task<string> GetTextAsync(AtRef obj) =>
        CallWith(obj, "org.a11y.atspi.Text", "GetText", "ii", (ref w) =>
        {
            w.WriteInt32(0);
            w.WriteInt32(-1);
        }, (m, _) => m.GetBodyReader().ReadString());

    public Task<bool> SetTextContentsAsync(AtRef obj, string text) =>
        CallWith(obj, "org.a11y.atspi.EditableText", "SetTextContents", "s", (ref w) => w.WriteString(text), ReadBool);

    /// <summary>The names of the object's actions, in index order.</summary>
    public Task<List<string>> GetActionNamesAsync(AtRef obj) => Call(obj, "org.a11y.atspi.Action", "GetActions", (m, _) =>
    {
        var reader = m.GetBodyReader();
        var names = new List<string>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            names.Add(reader.ReadString());
            reader.ReadString();
            reader.ReadString();
        }
        return names;
    });

    public Task<bool> DoActionAsync(AtRef obj, int index) =>
        CallWith(obj, "org.a11y.atspi.Action", "DoAction", "i", (ref w) => w.WriteInt32(index), ReadBool);

    /// <summary>Screen extents (x, y, width, height).</summary>
    public Task<(int X, int Y, int Width, int Height)> GetExtentsAsync(AtRef obj) =>
        CallWith(obj, "org.a11y.atspi.Component", "GetExtents", "u", (ref w) => w.WriteUInt32(0), (m, _) =>
        {
            var reader = m.GetBodyReader();
            reader.AlignStruct();
            return (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        });

    public Task<bool> GrabFocusAsync(AtRef obj) => Call(obj, "org.a11y.atspi.Component", "GrabFocus", ReadBool);

    public Task<bool> SelectChildAsync(AtRef obj, int index) =>
        CallWith(obj, "org.a11y.atspi.Selection", "SelectChild", "i", (ref w) => w.WriteInt32(index), ReadBool);

    public Task<int> GetIndexInParentAsync(AtRef obj) =>
        Call(obj, AccessibleInterface, "GetIndexInParent", (m, _) => m.GetBodyReader().ReadInt32());

    public Task<int> GetTableCountAsync(AtRef table, string property) =>
        CallWith(table, "org.freedesktop.DBus.Properties", "Get", "ss", (ref w) =>
        {
            w.WriteString("org.a11y.atspi.Table");
            w.WriteString(property);
        }, (m, _) => m.GetBodyReader().ReadVariantValue().GetInt32());

    public Task<AtRef> GetColumnHeaderAsync(AtRef table, int column) =>
        CallWith(table, "org.a11y.atspi.Table", "GetColumnHeader", "i", (ref w) => w.WriteInt32(column), ReadRef);

    public Task<AtRef> GetAccessibleAtAsync(AtRef table, int row, int column) =>
        CallWith(table, "org.a11y.atspi.Table", "GetAccessibleAt", "ii", (ref w) =>
        {
            w.WriteInt32(row);
            w.WriteInt32(column);
        }, ReadRef);

    public Task<string> GetNameAsync(AtRef obj) =>
        CallWith(obj, "org.freedesktop.DBus.Properties", "Get", "ss", (ref w) =>
        {
            w.WriteString(AccessibleInterface);
            w.WriteString("Name");
        }, (m, _) => m.GetBodyReader().ReadVariantValue().GetString());

    /// <summary>
    /// Presses and releases a key by its X keysym through the registry's device event controller (which
    /// synthesises it with XTest), to whatever has the keyboard focus.
    /// </summary>
    public Task<bool> PressKeySymAsync(int keysym) =>
        CallWith(new AtRef(Registry, "/org/a11y/atspi/registry/deviceeventcontroller"), "org.a11y.atspi.DeviceEventController",
            "GenerateKeyboardEvent", "isu", (ref w) =>
            {
                w.WriteInt32(keysym);
                w.WriteString("");
                w.WriteUInt32(3); // ATSPI_KEY_SYM: press and release the keysym
            }, (_, _) => true);

    private delegate void ArgumentWriter(ref MessageWriter writer);

    private Task<T> Call<T>(AtRef obj, string @interface, string member, MessageValueReader<T> reader) =>
        _connection.CallMethodAsync(Write(_connection, obj.Bus, obj.Path, @interface, member), reader);

    private Task<T> CallWith<T>(AtRef obj, string @interface, string member, string signature, ArgumentWriter arguments,
        MessageValueReader<T> reader)
    {
        var writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(obj.Bus, obj.Path, @interface, member, signature, MessageFlags.None);
            arguments(ref writer);
            return _connection.CallMethodAsync(writer.CreateMessage(), reader);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static MessageBuffer Write(DBusConnection connection, string destination, string path, string @interface, string member)
    {
        using var writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(destination, path, @interface, member, null, MessageFlags.None);
        return writer.CreateMessage();
    }

    private static bool ReadBool(Message message, object? state) => message.GetBodyReader().ReadBool();

    private static AtRef ReadRef(Message message, object? state)
    {
        var reader = message.GetBodyReader();
        reader.AlignStruct();
        return new AtRef(reader.ReadString(), reader.ReadObjectPathAsString());
    }

    private static List<AtRef> ReadRefs(Message message, object? state)
    {
        var reader = message.GetBodyReader();
        return ReadRefArray(ref reader, message.SenderAsString);
    }

    private static List<AtRef> ReadRefArray(ref Reader reader, string? sender)
    {
        var list = new List<AtRef>();
        var end = reader.ReadArrayStart(DBusType.Struct);
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            var bus = reader.ReadString();
            var path = reader.ReadObjectPathAsString();
            // Applications answer with an empty bus name for their own objects: they mean the sender.
            list.Add(new AtRef(bus.Length == 0 ? sender ?? "" : bus, path));
        }
        return list;
    }
}

/// <summary>The AT-SPI accessibility bus cannot be reached: no session bus, or at-spi2-core missing.</summary>
public sealed class AtSpiUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception.</summary>
    public AtSpiUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public AtSpiUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
