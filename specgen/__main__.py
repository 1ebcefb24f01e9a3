from specgen.cli import main

main(prog_name="specgen")
