using System.Net;
using Antq.Notification.Api.Webhooks;

namespace Antq.Notification.Tests;

/// <summary>Which addresses a webhook may reach, with the production settings (no network allowed) and with an allow-list.</summary>
public sealed class WebhookAddressPolicyTests
{
    static readonly WebhookAddressPolicy Production = new(null);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("169.254.1.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")] // CGNAT
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("::127.0.0.1")] // IPv4-compatible
    public void Internal_addresses_are_refused_in_production(string address) =>
        Assert.False(Production.Allows(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("14.225.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(Production.Allows(IPAddress.Parse(address)), address);

    [Fact]
    public void An_allowed_network_lets_its_addresses_through_and_no_others()
    {
        var policy = new WebhookAddressPolicy(["127.0.0.0/8", "10.20.0.0/16", "fd00:1::5"]);
        Assert.True(policy.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.Allows(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(policy.Allows(IPAddress.Parse("10.20.3.4")));
        Assert.True(policy.Allows(IPAddress.Parse("fd00:1::5")));
        Assert.False(policy.Allows(IPAddress.Parse("10.21.0.1")));
        Assert.False(policy.Allows(IPAddress.Parse("169.254.169.254")));
        Assert.False(policy.Allows(IPAddress.Parse("fd00:1::6")));
        Assert.False(policy.Allows(IPAddress.Parse("::1")));
    }

    [Fact]
    public void A_name_is_judged_by_every_address_it_resolves_to()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Production.FirstRefused([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.1")]));
        Assert.Null(Production.FirstRefused([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("1.1.1.1")]));
    }

    [Fact]
    public void The_refusal_explains_in_vietnamese_and_names_the_setting()
    {
        var text = WebhookHttp.RefusalOf("localhost", IPAddress.Parse("::ffff:127.0.0.1"));
        Assert.StartsWith("Tên miền localhost trỏ tới địa chỉ 127.0.0.1 thuộc mạng nội bộ", text);
        Assert.Contains("Notification:Webhooks:AllowedNetworks", text);
        Assert.StartsWith("Địa chỉ 169.254.169.254 thuộc", WebhookHttp.RefusalOf("169.254.169.254", IPAddress.Parse("169.254.169.254")));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("mạng nội bộ", false)]
    public void Allowed_networks_are_checked_at_start(string text, bool valid) => Assert.Equal(valid, WebhookAddressPolicy.IsNetwork(text));
}
