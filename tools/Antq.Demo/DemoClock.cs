using System.Net.Http.Json;
using System.Text.Json;

namespace Antq.Demo;

/// <summary>The platform's clock as the demo season moves it: forward only, every process at once.</summary>
public interface IDemoClock
{
    Task<DateTimeOffset> NowAsync();

    Task AdvanceToAsync(DateTimeOffset instant);
}

/// <summary>
/// The clocks of the processes <c>deploy/antq up</c> started, moved through each one's <c>/local/clock</c> (mapped only
/// in local mode, with the key <c>up</c> made up for them).
/// </summary>
public sealed class ProcessClocks(IReadOnlyList<Uri> processes, string key) : IDemoClock, IDisposable
{
    const string KeyHeader = "X-Antq-Clock-Key";
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<DateTimeOffset> NowAsync()
    {
        // The latest of them: a process whose clock is ahead decides what can still be played.
        var latest = DateTimeOffset.MinValue;
        foreach (var process in processes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(process, "local/clock"));
            request.Headers.Add(KeyHeader, key);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
                throw new DemoException($"{process} không cho đọc đồng hồ ({(int)response.StatusCode}): các tiến trình phải được khởi động bởi deploy/antq up ở chế độ local, với khóa đồng hồ của lần chạy này.");
            var state = await response.Content.ReadFromJsonAsync<JsonElement>();
            var now = state.GetProperty("now").GetDateTimeOffset();
            if (now > latest) latest = now;
        }

        return latest;
    }

    public async Task AdvanceToAsync(DateTimeOffset instant)
    {
        await Task.WhenAll(processes.Select(async process =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(process, "local/clock")) { Content = JsonContent.Create(new { to = instant }) };
            request.Headers.Add(KeyHeader, key);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
                throw new DemoException($"{process} không chuyển được đồng hồ tới {instant:O}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }));
    }

    public void Dispose() => http.Dispose();
}
