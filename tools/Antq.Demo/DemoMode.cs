namespace Antq.Demo;

/// <summary>The demo season is played only on a local platform (<c>ANTQ_MODE=local</c>): it moves the clock and creates accounts with a known password.</summary>
public static class DemoMode
{
    public static bool Allowed(string? mode) => string.Equals(mode, "local", StringComparison.OrdinalIgnoreCase);

    public static string Refusal(string? mode) =>
        $"Mùa báo cáo minh hoạ chỉ chạy ở chế độ local (ANTQ_MODE=local), không chạy ở chế độ '{(string.IsNullOrEmpty(mode) ? "(chưa đặt)" : mode)}'.";
}
