using Telephony.Media.Speech;

namespace Telephony.Media.Tests;

public sealed class SsmlParserTests
{
    [Fact]
    public void Plain_text_is_one_segment()
    {
        var segment = Assert.IsType<SpokenText>(Assert.Single(SsmlParser.Parse("  Hello there  ")));
        Assert.Equal("Hello there", segment.Text);
        Assert.Equal(Prosody.Default, segment.Prosody);
    }

    [Fact]
    public void Breaks_become_pauses_of_the_given_length()
    {
        var segments = SsmlParser.Parse("one <break time=\"750ms\"/> two <break time=\"2s\"/> three <break strength=\"strong\"/> four <break time=\"60s\"/>");
        Assert.Equal(
            [new SpokenText("one", Prosody.Default), new SpeechPause(TimeSpan.FromMilliseconds(750)), new SpokenText("two", Prosody.Default),
             new SpeechPause(TimeSpan.FromSeconds(2)), new SpokenText("three", Prosody.Default), new SpeechPause(TimeSpan.FromSeconds(1)),
             new SpokenText("four", Prosody.Default), new SpeechPause(TimeSpan.FromSeconds(10))],
            segments);
    }

    [Fact]
    public void Prosody_and_emphasis_nest_and_scale()
    {
        var segments = SsmlParser.Parse("<speak>a <prosody rate=\"slow\" volume=\"+6dB\">b <emphasis level=\"strong\">c</emphasis></prosody> d</speak>");
        var spoken = segments.OfType<SpokenText>().ToList();
        Assert.Equal(["a", "b", "c", "d"], spoken.Select(s => s.Text));
        Assert.Equal(0.75, spoken[1].Prosody.Rate, 3);
        Assert.Equal(2.0, spoken[1].Prosody.Volume, 1);
        Assert.Equal(0.75 * 0.8, spoken[2].Prosody.Rate, 3);
        Assert.Equal(Prosody.Default, spoken[3].Prosody);
        Assert.Equal(0.5, Assert.IsType<SpokenText>(SsmlParser.Parse("<prosody rate=\"50%\">x</prosody>").Single()).Prosody.Rate, 3);
    }

    [Fact]
    public void Say_as_spells_characters_and_digits()
    {
        Assert.Equal("Call A B C at 5 5 5 1 2", string.Join(' ', SsmlParser.Parse(
            "Call <say-as interpret-as=\"characters\">ABC</say-as> at <say-as interpret-as=\"telephone\">555-12</say-as>")
            .OfType<SpokenText>().Select(s => s.Text)));
    }

    [Fact]
    public void Paragraphs_sentences_sub_and_unknown_tags()
    {
        var segments = SsmlParser.Parse("<p><s>First</s><s><sub alias=\"World Wide Web\">WWW</sub></s></p><unknown foo=\"x\">kept</unknown>");
        Assert.Equal(["First", "World Wide Web", "kept"], segments.OfType<SpokenText>().Select(s => s.Text));
        Assert.True(segments.OfType<SpeechPause>().Count() >= 3);
    }

    [Fact]
    public void Dtds_and_entities_are_never_expanded()
    {
        const string Hostile = "<!DOCTYPE speak [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><speak>&secret;</speak>";
        var segment = Assert.IsType<SpokenText>(Assert.Single(SsmlParser.Parse(Hostile)));
        Assert.DoesNotContain("root:", segment.Text, StringComparison.Ordinal);
        Assert.Equal(Hostile, segment.Text); // not well-formed for us: spoken literally
    }

    [Fact]
    public void Malformed_markup_is_spoken_as_text()
    {
        var segment = Assert.IsType<SpokenText>(Assert.Single(SsmlParser.Parse("5 < 6 and <b>unclosed")));
        Assert.Equal("5 < 6 and <b>unclosed", segment.Text);
    }
}
