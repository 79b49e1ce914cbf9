using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

// All interop here is source-generated; with the runtime's own marshalling off, VARIANTs (ComVariant) and RECTs
// cross as plain memory and nothing is marshalled behind the generators' back.
[assembly: DisableRuntimeMarshalling]

// The UI Automation client interfaces (UIAutomationClient.h), declared for the COM source generator. A generated
// interface is a vtable: every method up to the last one used is declared, in header order, even when this driver
// never calls it, because a method's position is its slot. Parameters this driver never passes are typed as raw
// pointers (nint) rather than left out. Methods that are not [PreserveSig] turn a failed HRESULT into an exception
// and return their last [out, retval] parameter.
namespace RpaWorker.Drivers.Windows.Uia.Interop;

/// <summary>TreeScope: which part of the tree a search or a cache request covers.</summary>
[Flags]
internal enum TreeScope
{
    Element = 0x1,
    Children = 0x2,
    Descendants = 0x4,
    Subtree = Element | Children | Descendants,
}

/// <summary>A RECT in screen pixels.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeRect
{
    public int Left;
    public int Top;
    public int Right;
    public int Bottom;
}

[GeneratedComInterface]
[Guid("30CBE57D-D9D0-452A-AB13-7AC5AC4825EE")]
internal partial interface IUIAutomation
{
    int CompareElements(IUIAutomationElement el1, IUIAutomationElement el2);
    int CompareRuntimeIds(nint runtimeId1, nint runtimeId2);
    IUIAutomationElement GetRootElement();
    IUIAutomationElement? ElementFromHandle(nint hwnd);
    IUIAutomationElement? ElementFromPoint(long pt);
    IUIAutomationElement? GetFocusedElement();
    IUIAutomationElement GetRootElementBuildCache(IUIAutomationCacheRequest cacheRequest);
    IUIAutomationElement? ElementFromHandleBuildCache(nint hwnd, IUIAutomationCacheRequest cacheRequest);
    IUIAutomationElement? ElementFromPointBuildCache(long pt, IUIAutomationCacheRequest cacheRequest);
    IUIAutomationElement? GetFocusedElementBuildCache(IUIAutomationCacheRequest cacheRequest);
    nint CreateTreeWalker(IUIAutomationCondition condition);
    nint get_ControlViewWalker();
    nint get_ContentViewWalker();
    nint get_RawViewWalker();
    IUIAutomationCondition get_RawViewCondition();
    IUIAutomationCondition get_ControlViewCondition();
    IUIAutomationCondition get_ContentViewCondition();
    IUIAutomationCacheRequest CreateCacheRequest();
    IUIAutomationCondition CreateTrueCondition();
    IUIAutomationCondition CreateFalseCondition();
    IUIAutomationCondition CreatePropertyCondition(int propertyId, ComVariant value);
    IUIAutomationCondition CreatePropertyConditionEx(int propertyId, ComVariant value, int flags);
    IUIAutomationCondition CreateAndCondition(IUIAutomationCondition condition1, IUIAutomationCondition condition2);
    IUIAutomationCondition CreateAndConditionFromArray(nint conditions);
    IUIAutomationCondition CreateAndConditionFromNativeArray(nint conditions, int conditionCount);
    IUIAutomationCondition CreateOrCondition(IUIAutomationCondition condition1, IUIAutomationCondition condition2);
    IUIAutomationCondition CreateOrConditionFromArray(nint conditions);
    IUIAutomationCondition CreateOrConditionFromNativeArray(nint conditions, int conditionCount);
    IUIAutomationCondition CreateNotCondition(IUIAutomationCondition condition);
}

[GeneratedComInterface]
[Guid("352FFBA8-0973-437C-A61F-F64CAFD81DF9")]
internal partial interface IUIAutomationCondition
{
}

[GeneratedComInterface]
[Guid("14314595-B4BC-4055-95F2-58F2E42C9855")]
internal partial interface IUIAutomationElementArray
{
    int get_Length();
    IUIAutomationElement GetElement(int index);
}

[GeneratedComInterface]
[Guid("B32A92B5-BC25-4078-9C08-D7EE95C48E03")]
internal partial interface IUIAutomationCacheRequest
{
    void AddProperty(int propertyId);
    void AddPattern(int patternId);
    IUIAutomationCacheRequest Clone();
    TreeScope get_TreeScope();
    void put_TreeScope(TreeScope scope);
    IUIAutomationCondition get_TreeFilter();
    void put_TreeFilter(IUIAutomationCondition filter);
    int get_AutomationElementMode();
    void put_AutomationElementMode(int mode);
}

[GeneratedComInterface]
[Guid("D22108AA-8AC5-49A5-837B-37BBB3D7591E")]
internal partial interface IUIAutomationElement
{
    void SetFocus();
    nint GetRuntimeId();
    IUIAutomationElement? FindFirst(TreeScope scope, IUIAutomationCondition condition);
    IUIAutomationElementArray? FindAll(TreeScope scope, IUIAutomationCondition condition);
    IUIAutomationElement? FindFirstBuildCache(TreeScope scope, IUIAutomationCondition condition, IUIAutomationCacheRequest cacheRequest);
    IUIAutomationElementArray? FindAllBuildCache(TreeScope scope, IUIAutomationCondition condition, IUIAutomationCacheRequest cacheRequest);
    IUIAutomationElement BuildUpdatedCache(IUIAutomationCacheRequest cacheRequest);
    ComVariant GetCurrentPropertyValue(int propertyId);
    ComVariant GetCurrentPropertyValueEx(int propertyId, int ignoreDefaultValue);
    ComVariant GetCachedPropertyValue(int propertyId);
    ComVariant GetCachedPropertyValueEx(int propertyId, int ignoreDefaultValue);
    nint GetCurrentPatternAs(int patternId, in Guid riid);
    nint GetCachedPatternAs(int patternId, in Guid riid);
    nint GetCurrentPattern(int patternId);
    nint GetCachedPattern(int patternId);
    IUIAutomationElement? GetCachedParent();
    IUIAutomationElementArray? GetCachedChildren();
    int get_CurrentProcessId();
    int get_CurrentControlType();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentLocalizedControlType();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentName();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentAcceleratorKey();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentAccessKey();
    int get_CurrentHasKeyboardFocus();
    int get_CurrentIsKeyboardFocusable();
    int get_CurrentIsEnabled();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentAutomationId();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentClassName();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentHelpText();
    int get_CurrentCulture();
    int get_CurrentIsControlElement();
    int get_CurrentIsContentElement();
    int get_CurrentIsPassword();
    nint get_CurrentNativeWindowHandle();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentItemType();
    int get_CurrentIsOffscreen();
    int get_CurrentOrientation();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentFrameworkId();
    int get_CurrentIsRequiredForForm();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentItemStatus();
    NativeRect get_CurrentBoundingRectangle();
    IUIAutomationElement? get_CurrentLabeledBy();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentAriaRole();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentAriaProperties();
    int get_CurrentIsDataValidForForm();
    IUIAutomationElementArray? get_CurrentControllerFor();
    IUIAutomationElementArray? get_CurrentDescribedBy();
    IUIAutomationElementArray? get_CurrentFlowsTo();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentProviderDescription();
    int get_CachedProcessId();
    int get_CachedControlType();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedLocalizedControlType();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedName();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedAcceleratorKey();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedAccessKey();
    int get_CachedHasKeyboardFocus();
    int get_CachedIsKeyboardFocusable();
    int get_CachedIsEnabled();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedAutomationId();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedClassName();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedHelpText();
    int get_CachedCulture();
    int get_CachedIsControlElement();
    int get_CachedIsContentElement();
    int get_CachedIsPassword();
    nint get_CachedNativeWindowHandle();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedItemType();
    int get_CachedIsOffscreen();
    int get_CachedOrientation();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedFrameworkId();
    int get_CachedIsRequiredForForm();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CachedItemStatus();
    NativeRect get_CachedBoundingRectangle();
    IUIAutomationElement? get_CachedLabeledBy();
}

[GeneratedComInterface]
[Guid("FB377FBE-8EA6-46D5-9C73-6499642D3059")]
internal partial interface IUIAutomationInvokePattern
{
    void Invoke();
}

[GeneratedComInterface]
[Guid("619BE086-1F4E-4EE4-BAFA-210128738730")]
internal partial interface IUIAutomationExpandCollapsePattern
{
    void Expand();
    void Collapse();
    int get_CurrentExpandCollapseState();
}

[GeneratedComInterface]
[Guid("414C3CDC-856B-4F5B-8538-3131C6302550")]
internal partial interface IUIAutomationGridPattern
{
    IUIAutomationElement? GetItem(int row, int column);
    int get_CurrentRowCount();
    int get_CurrentColumnCount();
}

[GeneratedComInterface]
[Guid("A8EFA66A-0FDA-421A-9194-38021F3578EA")]
internal partial interface IUIAutomationSelectionItemPattern
{
    void Select();
    void AddToSelection();
    void RemoveFromSelection();
    int get_CurrentIsSelected();
}

[GeneratedComInterface]
[Guid("620E691C-EA96-4710-A850-754B24CE2417")]
internal partial interface IUIAutomationTablePattern
{
    IUIAutomationElementArray? GetCurrentRowHeaders();
    IUIAutomationElementArray? GetCurrentColumnHeaders();
}

[GeneratedComInterface]
[Guid("94CF8058-9B8D-4AB9-8BFD-4CD0A33C8C70")]
internal partial interface IUIAutomationTogglePattern
{
    void Toggle();
}

[GeneratedComInterface]
[Guid("A94CD8B1-0844-4CD6-9D2D-640537AB39E9")]
internal partial interface IUIAutomationValuePattern
{
    void SetValue([MarshalAs(UnmanagedType.BStr)] string value);
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentValue();
    int get_CurrentIsReadOnly();
}

[GeneratedComInterface]
[Guid("A543CC6A-F4AE-494B-8239-C814481187A8")]
internal partial interface IUIAutomationTextRange
{
    nint Clone();
    int Compare(nint range);
    int CompareEndpoints(int srcEndPoint, nint range, int targetEndPoint);
    void ExpandToEnclosingUnit(int textUnit);
    nint FindAttribute(int attr, ComVariant value, int backward);
    nint FindText([MarshalAs(UnmanagedType.BStr)] string text, int backward, int ignoreCase);
    ComVariant GetAttributeValue(int attr);
    nint GetBoundingRectangles();
    IUIAutomationElement? GetEnclosingElement();
    [return: MarshalAs(UnmanagedType.BStr)] string? GetText(int maxLength);
}

[GeneratedComInterface]
[Guid("32EBA289-3583-42C9-9C59-3B6D9A1E9B6A")]
internal partial interface IUIAutomationTextPattern
{
    nint RangeFromPoint(long pt);
    nint RangeFromChild(IUIAutomationElement child);
    nint GetSelection();
    nint GetVisibleRanges();
    IUIAutomationTextRange get_DocumentRange();
}

[GeneratedComInterface]
[Guid("828055AD-355B-4435-86D5-3B51C14A9B1B")]
internal partial interface IUIAutomationLegacyIAccessiblePattern
{
    void Select(int flagsSelect);
    void DoDefaultAction();
    void SetValue([MarshalAs(UnmanagedType.LPWStr)] string value);
    int get_CurrentChildId();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentName();
    [return: MarshalAs(UnmanagedType.BStr)] string? get_CurrentValue();
}
