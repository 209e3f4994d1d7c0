using Antq.Calendar;

namespace Antq.Calendar.Tests;

/// <summary>"trước ngày 15/6" is before 00:00 of 15 June, Vietnam time: 14 June is the last day on time.</summary>
public sealed class DueDateTests
{
    static readonly TimeSpan Plus7 = TimeSpan.FromHours(7);
    static readonly DateTimeOffset Due = new(2026, 6, 15, 0, 0, 0, Plus7);

    [Theory]
    [InlineData("2026-06-15")]
    [InlineData("15/06/2026")]
    [InlineData("15/6/2026")]
    [InlineData(" 2026-06-15 ")]
    [InlineData("2026-06-15T00:00:00+07:00")]
    [InlineData("2026-06-15T00:00+07:00")]
    [InlineData("2026-06-14T17:00:00Z")]
    [InlineData("2026-06-14T18:00:00+01:00")]
    public void A_plain_date_is_the_start_of_that_day_in_Vietnam(string text)
    {
        Assert.True(DueDate.TryParse(text, out var due));
        Assert.Equal(Due, due);
        Assert.Equal(Plus7, due.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-06-31")]
    [InlineData("2026-06-15T00:00:00")]
    [InlineData("15.06.2026")]
    [InlineData("trước ngày 15/6")]
    [InlineData(null)]
    public void Text_that_is_not_a_date_or_has_no_offset_is_refused(string? text) =>
        Assert.False(DueDate.TryParse(text, out _));

    [Fact]
    public void The_message_names_the_text_and_the_period() =>
        Assert.Equal("Hạn nộp \"15.06.2026\" của kỳ 2026-H1 không hợp lệ; dùng ngày dạng YYYY-MM-DD (nghĩa là trước 00:00 ngày đó, giờ Việt Nam) hoặc thời điểm có múi giờ, ví dụ 2026-06-15T00:00:00+07:00.",
            DueDate.InvalidMessage("15.06.2026", "2026-H1"));

    [Theory]
    [InlineData("2026-06-14T23:59:59.9999999+07:00", true)]
    [InlineData("2026-06-14T16:59:59Z", true)]
    [InlineData("2026-06-15T00:00:00+07:00", false)] // 00:00 of the day named is already late
    [InlineData("2026-06-14T17:00:00Z", false)]
    [InlineData("2026-06-15T08:00:00+07:00", false)]
    public void A_report_is_on_time_strictly_before_the_deadline(string arrivedAt, bool onTime) =>
        Assert.Equal(onTime, DueDate.IsOnTime(DateTimeOffset.Parse(arrivedAt, System.Globalization.CultureInfo.InvariantCulture), Due));

    [Fact]
    public void The_last_day_on_time_is_the_day_before_the_one_named()
    {
        Assert.Equal(new DateOnly(2026, 6, 14), DueDate.LastDayOnTime(Due));
        Assert.Equal(new DateOnly(2026, 6, 14), DueDate.LastDayOnTime(Due.ToUniversalTime()));
        Assert.Equal(new DateOnly(2026, 6, 15), DueDate.LastDayOnTime(new DateTimeOffset(2026, 6, 15, 8, 30, 0, Plus7)));
        Assert.Equal(Due, DueDate.StartOf(new DateOnly(2026, 6, 15)));
    }

    [Fact]
    public void Deadlines_are_shown_as_users_write_them()
    {
        Assert.Equal("Hạn nộp: trước ngày 15/06/2024", DueDate.Display(new DateTimeOffset(2024, 6, 15, 0, 0, 0, Plus7)));
        Assert.Equal("Hạn nộp: trước ngày 15/06/2026", DueDate.Display(Due.ToUniversalTime()));
        Assert.Equal("trước ngày 15/06/2026", DueDate.Describe(Due));
        Assert.Equal("trước ngày 01/12/2026", DueDate.Describe(new DateOnly(2026, 12, 1)));
        Assert.Equal("trước 08:30 ngày 15/06/2026", DueDate.Describe(new DateTimeOffset(2026, 6, 15, 8, 30, 0, Plus7)));
        Assert.Equal("trước 00:00 ngày 15/06/2026", DueDate.Describe(new DateTimeOffset(2026, 6, 14, 17, 0, 30, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-06-12T00:00:00+07:00", 3, "Còn 3 ngày")]
    [InlineData("2026-06-14T09:00:00+07:00", 1, "Còn 1 ngày")]
    [InlineData("2026-06-14T23:59:00+07:00", 1, "Còn 1 ngày")]
    [InlineData("2026-06-15T00:00:00+07:00", 0, "Hết hạn hôm nay")]
    [InlineData("2026-06-15T00:00:01+07:00", -1, "Quá hạn 1 ngày")]
    [InlineData("2026-06-16T09:00:00+07:00", -2, "Quá hạn 2 ngày")]
    public void The_days_left_count_whole_days_rounded_up(string now, int days, string text)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(days, DueDate.DaysLeft(Due, at));
        Assert.Equal(text, DueDate.DaysLeftText(Due, at));
    }
}
