using RpaWorker.Drivers.Windows.Uia;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

public sealed class UiaKeyTests
{
    [Theory]
    [InlineData("Enter", 0x0D)]
    [InlineData("return", 0x0D)]
    [InlineData("Tab", 0x09)]
    [InlineData("Escape", 0x1B)]
    [InlineData("ArrowDown", 0x28)]
    [InlineData("F1", 0x70)]
    [InlineData("F12", 0x7B)]
    public void Parse_NamedKey_IsItsVirtualKey(string name, int virtualKey)
    {
        Assert.Equal(new UiaKey((ushort)virtualKey, '\0'), UiaKey.Parse(name));
    }

    [Fact]
    public void Parse_OneCharacter_IsTypedAsItself()
    {
        Assert.Equal(new UiaKey(0, 'é'), UiaKey.Parse("é"));
    }

    [Theory]
    [InlineData("Ctrl")]
    [InlineData("F13")]
    [InlineData("")]
    public void Parse_UnknownKey_IsNull(string name)
    {
        Assert.Null(UiaKey.Parse(name));
    }
}
