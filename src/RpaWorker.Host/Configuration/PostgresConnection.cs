using Npgsql;

namespace RpaWorker.Host.Configuration;

/// <summary>Turns <c>postgres://user:password@host:port/database</c> or an Npgsql connection string into a connection string.</summary>
internal static class PostgresConnection
{
    /// <summary>Null when it parses (the result in <paramref name="connectionString"/>), else what is wrong — never the password.</summary>
    public static string? TryParse(string store, out string connectionString)
    {
        connectionString = "";
        try
        {
            if (store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(store);
                var userInfo = uri.UserInfo.Split(':', 2);
                var builder = new NpgsqlConnectionStringBuilder
                {
                    Host = uri.Host,
                    Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
                    Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
                    Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null,
                    Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
                };
                connectionString = builder.ConnectionString;
                return null;
            }
            connectionString = new NpgsqlConnectionStringBuilder(store).ConnectionString;
            return null;
        }
        catch (Exception ex) when (ex is UriFormatException or ArgumentException or FormatException)
        {
            return "not 'sqlite', a postgres:// URL or an Npgsql connection string";
        }
    }
}
