using RpaWorker.Drivers.Windows.Uia;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

public sealed class UiaControlTypeTests
{
    [Theory]
    [InlineData("button", new[] { UiaControlType.Button, UiaControlType.SplitButton })]
    [InlineData("textbox", new[] { UiaControlType.Edit, UiaControlType.Document })]
    [InlineData("tab", new[] { UiaControlType.TabItem })]
    [InlineData("grid", new[] { UiaControlType.DataGrid, UiaControlType.Table })]
    [InlineData("combobox", new[] { UiaControlType.ComboBox })]
    public void ForRole_PlaybookRole_FindsTheControlTypesThatPlayIt(string role, int[] types)
    {
        Assert.Equal(types.ToHashSet(), UiaControlType.ForRole(role));
    }

    [Theory]
    [InlineData("Edit", UiaControlType.Edit)]
    [InlineData("dataitem", UiaControlType.DataItem)]
    [InlineData("Tab Item", UiaControlType.TabItem)]
    public void ForRole_UiaControlTypeName_IsAcceptedAsItIs(string role, int type)
    {
        Assert.Equal(new HashSet<int> { type }, UiaControlType.ForRole(role));
    }

    [Fact]
    public void ForRole_UnknownRole_IsNull()
    {
        Assert.Null(UiaControlType.ForRole("spreadsheet"));
    }

    [Fact]
    public void NameOf_KnownAndUnknownIds_AreNamedOrNumbered()
    {
        Assert.Equal("DataGrid", UiaControlType.NameOf(50028));
        Assert.Equal("Window", UiaControlType.NameOf(50032));
        Assert.Equal("12345", UiaControlType.NameOf(12345));
    }
}
