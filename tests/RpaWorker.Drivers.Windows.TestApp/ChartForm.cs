namespace RpaWorker.Drivers.Windows.TestApp;

/// <summary>
/// A patient chart as legacy Windows EHRs draw it: label/value pairs, a read-only record number box, a visit type
/// combo box, and tabs holding a problem list (a list view in details view) and a medication list (a list box).
/// </summary>
internal sealed class ChartForm : Form
{
    public const string Patient = "DOE, JOHN A";

    public ChartForm()
    {
        Text = "MedDesk Classic - " + Patient;
        Name = "ChartForm";
        ClientSize = new Size(640, 480);
        StartPosition = FormStartPosition.CenterScreen;

        var nameLabel = new Label { Text = "Name:", Location = new Point(12, 12), AutoSize = true };
        var nameValue = new Label { Name = "nameValue", Text = Patient, Location = new Point(90, 12), AutoSize = true };
        var dobLabel = new Label { Text = "DOB:", Location = new Point(300, 12), AutoSize = true };
        var dobValue = new Label { Name = "dobValue", Text = "03/14/1987", Location = new Point(360, 12), AutoSize = true };
        var mrnLabel = new Label { Text = "MRN:", Location = new Point(12, 42), AutoSize = true, TabIndex = 0 };
        var mrn = new TextBox { Name = "mrnBox", Text = "00123456", ReadOnly = true, Location = new Point(90, 39), Width = 120, TabIndex = 1 };
        var visitLabel = new Label { Text = "Visit type:", Location = new Point(300, 42), AutoSize = true, TabIndex = 2 };
        var visit = new ComboBox { Name = "visitType", DropDownStyle = ComboBoxStyle.DropDownList, Location = new Point(380, 39), Width = 160, TabIndex = 3 };
        visit.Items.AddRange(["Office visit", "Telephone", "Home visit"]);
        var chosenLabel = new Label { Text = "Chosen visit:", Location = new Point(12, 72), AutoSize = true };
        var chosen = new Label { Name = "chosenVisit", Text = "(none)", Location = new Point(110, 72), AutoSize = true };
        visit.SelectedIndexChanged += (_, _) => chosen.Text = visit.SelectedItem?.ToString() ?? "(none)";

        var tabs = new TabControl { Name = "chartTabs", Location = new Point(12, 100), Size = new Size(616, 320), TabIndex = 4 };
        var problemsPage = new TabPage("Problems") { Name = "problemsPage" };
        var group = new GroupBox { Name = "problemBox", Text = "Problem List", Dock = DockStyle.Fill };
        var problems = new ListView { Name = "problemList", View = View.Details, FullRowSelect = true, Dock = DockStyle.Fill, HideSelection = false };
        problems.Columns.Add("Problem", 260);
        problems.Columns.Add("Code", 100);
        problems.Columns.Add("Onset", 120);
        problems.Items.Add(new ListViewItem(new[] { "Essential hypertension", "59621000", "03/14/2019" }));
        problems.Items.Add(new ListViewItem(new[] { "Asthma", "195967001", "Mar 5 '19" }));
        problems.Items.Add(new ListViewItem(new[] { "Type 2 diabetes mellitus", "44054006", "11/02/2020" }));
        var pickedLabel = new Label { Text = "Picked problem:", Location = new Point(300, 72), AutoSize = true };
        var picked = new Label { Name = "pickedProblem", Text = "(none)", Location = new Point(400, 72), AutoSize = true };
        problems.SelectedIndexChanged += (_, _) => picked.Text = problems.SelectedItems.Count > 0 ? problems.SelectedItems[0].Text : "(none)";
        group.Controls.Add(problems);
        problemsPage.Controls.Add(group);

        var medicationsPage = new TabPage("Medications") { Name = "medicationsPage" };
        var medications = new ListBox { Name = "medicationList", Dock = DockStyle.Fill };
        medications.Items.AddRange(["Lisinopril 10 mg tablet", "Albuterol inhaler", "Metformin 500 mg tablet"]);
        medicationsPage.Controls.Add(medications);
        tabs.TabPages.AddRange([problemsPage, medicationsPage]);

        var allergies = new Button { Name = "allergiesButton", Text = "Allergies...", Location = new Point(12, 435), Width = 110, TabIndex = 5 };
        allergies.Click += (_, _) => MessageBox.Show(this, "Allergic to penicillin.", "Allergies", MessageBoxButtons.OK, MessageBoxIcon.Information);
        var save = new Button { Name = "saveButton", Text = "Save", Location = new Point(140, 435), Width = 90, Enabled = false, TabIndex = 6 };

        Controls.AddRange([nameLabel, nameValue, dobLabel, dobValue, mrnLabel, mrn, visitLabel, visit, chosenLabel, chosen, pickedLabel, picked, tabs, allergies, save]);
    }
}
