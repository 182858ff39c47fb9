using Xunit.Abstractions;
using Xunit.Sdk;

namespace Bitcain.AppHost.Tests.ScaledOut;

/// <summary>The order of a story told over one running suite: later steps kill what earlier ones still need.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int number) : Attribute
{
    public int Number { get; } = number;
}

public sealed class StepOrderer : ITestCaseOrderer
{
    public const string Name = "Bitcain.AppHost.Tests.ScaledOut.StepOrderer";
    public const string Assembly = "Bitcain.AppHost.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
            .FirstOrDefault()?.GetConstructorArguments().Cast<int>().First() ?? int.MaxValue);
}
